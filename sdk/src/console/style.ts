/** The editor's line height and padding in px: a problem's note is placed by them. */
export const LINE = 20;
export const PAD = 8;

/** The web console's one style sheet: desktop first. */
export const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; color: #1f2933; background: #f5f7fa;
  font: 14px/1.5 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 24px; background: #1f2d3d; color: #fff; }
header h1 { flex: 1; font-size: 18px; margin: 0; }
button { font: inherit; border: 0; border-radius: 4px; padding: 6px 14px; background: #3e7bfa; color: #fff;
  cursor: pointer; }
button:disabled { background: #9aa5b1; }
button.ghost { background: transparent; color: inherit; border: 1px solid currentColor; }
button.small { padding: 3px 10px; font-size: 13px; }
input, select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #cbd2d9; border-radius: 4px; }
.muted { color: #7b8794; }
.error { color: #e8432e; }
.login { max-width: 560px; margin: 64px auto; background: #fff; padding: 24px; border-radius: 8px;
  box-shadow: 0 1px 3px #0002; display: grid; gap: 12px; }
.login textarea { width: 100%; font-family: monospace; font-size: 12px; }
#local-login { display: flex; gap: 8px; }
.layout { display: grid; grid-template-columns: 260px minmax(0, 1fr); min-height: calc(100vh - 48px); }
aside { background: #fff; border-right: 1px solid #e4e7eb; padding: 16px; }
aside h2 { font-size: 14px; color: #52606d; margin: 0 0 8px; }
ul { list-style: none; padding: 0; margin: 0; }
#campaigns li { padding: 8px 10px; border-radius: 6px; cursor: pointer; display: grid; }
#campaigns li.active { background: #e6efff; }
#detail { padding: 16px 24px; }
#detail > h2 { margin: 0 0 12px; }
section { background: #fff; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; box-shadow: 0 1px 3px #0001; }
section h3 { margin: 0 0 8px; font-size: 15px; }
.switches { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.switches li { display: flex; align-items: center; gap: 8px; }
.switch input { width: 36px; height: 18px; vertical-align: middle; accent-color: #2bb673; }
.state.off { color: #e8432e; }
.tabs { display: flex; gap: 4px; margin-bottom: -1px; }
.tab { background: #e4e7eb; color: #1f2933; border-radius: 6px 6px 0 0; }
.tab.active { background: #fff; color: #3e7bfa; font-weight: bold; }
.bar { display: flex; align-items: center; gap: 12px; margin-bottom: 12px; flex-wrap: wrap; }
#report { width: 100%; min-height: 600px; border: 0; display: block; }
.problems { border: 1px solid #f5b5aa; background: #fff4f2; border-radius: 6px; padding: 8px 12px; margin-bottom: 12px; }
.editor { display: grid; grid-template-columns: 48px minmax(0, 1fr) 420px; border: 1px solid #cbd2d9;
  border-radius: 4px; background: #fff; }
.editor .gutter { margin: 0; padding: ${PAD + 1}px 8px; text-align: right; color: #9aa5b1; background: #f5f7fa;
  font: 13px/${LINE}px monospace; user-select: none; }
.editor .code { position: relative; }
.editor textarea { display: block; width: 100%; border: 0; border-radius: 0; resize: none; overflow-x: auto;
  overflow-y: hidden; padding: ${PAD}px; font: 13px/${LINE}px monospace; background: transparent;
  position: relative; tab-size: 2; white-space: pre; border-top: 1px solid transparent; }
.editor .mark { position: absolute; left: 0; right: 0; height: ${LINE}px; background: #fde2dd; }
.editor .notes { position: relative; border-left: 1px solid #e4e7eb; }
.editor .problem { position: absolute; left: 0; right: 0; height: ${LINE}px; padding: 0 8px; color: #c22d18;
  font-size: 12px; line-height: ${LINE}px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  background: #fff4f2; }
.versions, .diff { border-collapse: collapse; width: 100%; }
.versions td, .versions th { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e4e7eb; }
.diff { font: 12px/18px monospace; }
.diff td { padding: 0 6px; white-space: pre; }
.diff td.no { color: #9aa5b1; text-align: right; width: 40px; user-select: none; }
.diff tr.add { background: #e3f9e5; }
.diff tr.del { background: #ffe3e3; }
.mono { font: 12px/18px monospace; word-break: break-all; }
.deliveries td { vertical-align: top; }
td button, td.day { white-space: nowrap; }
.scroll { max-height: 360px; overflow-y: auto; position: relative; }
.delivery { padding: 1px 8px; border-radius: 10px; background: #e4e7eb; white-space: nowrap; }
.delivery.delivered { background: #e3f9e5; color: #1f7a3f; }
.delivery.dead { background: #ffe3e3; color: #c22d18; }
.facts { display: grid; grid-template-columns: 140px minmax(0, 1fr); gap: 6px 16px; margin: 0; }
.facts dt { color: #52606d; }
.facts dd { margin: 0; }
#toast { position: fixed; left: 50%; bottom: 24px; transform: translateX(-50%); background: #000c; color: #fff;
  padding: 10px 16px; border-radius: 8px; opacity: 0; transition: opacity .2s; pointer-events: none; }
#toast.visible { opacity: 1; }
`;
