/** Small DOM helpers the games' H5 pages share. */

type Child = Node | string | number | null | undefined | false;

/** An element: `h("button", { class: "big", onclick: spin }, "抽奖")`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value as EventListener);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** Replace what `id` holds with `children`. */
export function show(id: string, ...children: Child[]): void {
  const target = document.getElementById(id);
  if (target === null) throw new Error(`no #${id} on the page`);
  target.replaceChildren(...children.filter((c): c is Node | string | number => c !== null
    && c !== undefined && c !== false).map((c) => (c instanceof Node ? c : String(c))));
}

/** A short message at the bottom of the screen. */
export function toast(message: string): void {
  const box = document.getElementById("toast") ?? document.body.appendChild(h("div", { id: "toast" }));
  box.textContent = message;
  box.className = "visible";
  window.setTimeout(() => { box.className = ""; }, 2500);
}
