/** The pages' one style sheet: mobile first, one column, large touch targets. */
export const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif;
  background: #fff4ec; color: #3a1d0b; max-width: 480px; margin: 0 auto; padding-bottom: 64px; }
header { display: flex; align-items: center; gap: 8px; padding: 12px 16px; background: #e8432e; color: #fff; }
header a { color: #fff; text-decoration: none; }
header h1 { flex: 1; font-size: 18px; margin: 0; text-align: center; }
header .who { font-size: 12px; opacity: .9; }
section { background: #fff; margin: 12px; padding: 16px; border-radius: 12px; box-shadow: 0 1px 4px #0001; }
h2 { font-size: 16px; margin: 0 0 8px; }
button { font: inherit; border: 0; border-radius: 24px; padding: 12px 20px; background: #e8432e; color: #fff;
  min-height: 44px; cursor: pointer; white-space: nowrap; }
button:disabled { background: #c9b8ad; }
button.small { padding: 6px 12px; min-height: 32px; font-size: 14px; }
button.ghost { background: #fff; color: #e8432e; border: 1px solid #e8432e; }
a { color: #e8432e; }
ul { list-style: none; padding: 0; margin: 0; }
li { padding: 8px 0; border-bottom: 1px solid #f3e3d8; display: flex; justify-content: space-between; gap: 8px; }
li:last-child { border-bottom: 0; }
.muted { color: #9a7b66; font-size: 14px; }
.big { font-size: 28px; font-weight: bold; color: #e8432e; }
.center { text-align: center; }
.grid { display: grid; grid-template-columns: repeat(7, 1fr); gap: 6px; }
.day { border-radius: 8px; padding: 6px 0; text-align: center; background: #f7ece4; font-size: 13px; }
.day.checked { background: #e8432e; color: #fff; }
.day.made_up { background: #f29a4a; color: #fff; }
.day.today { outline: 2px solid #e8432e; }
.code { font-size: 32px; letter-spacing: 6px; font-weight: bold; text-align: center; padding: 12px;
  border: 2px dashed #e8432e; border-radius: 12px; }
input { font: inherit; padding: 10px; border: 1px solid #d9c3b3; border-radius: 8px; width: 100%; }
footer { text-align: center; margin: 16px; font-size: 14px; }
.hash { font-family: ui-monospace, Menlo, monospace; font-size: 12px; word-break: break-all; }
.ok { color: #1f8a3b; font-weight: bold; }
.bad { color: #c0221b; font-weight: bold; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th, td { text-align: left; padding: 6px 4px; border-bottom: 1px solid #f3e3d8; vertical-align: top; }
#toast { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); background: #000c; color: #fff;
  padding: 10px 16px; border-radius: 8px; opacity: 0; transition: opacity .2s; pointer-events: none; }
#toast.visible { opacity: 1; }
`;
