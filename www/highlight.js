// Syntax highlighting for the scripts of a delivery (Python: scriptForPI.py, casa_pipescript.py,
// casa_commands.log; XML: pprequest.xml, manifests). Builds text nodes and spans only — the
// file's text is never parsed as HTML.

const PY = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\b(def|class|import|from|as|if|elif|else|for|while|in|not|and|or|return|try|except|finally|raise|with|lambda|None|True|False|pass|break|continue|global|yield|is)\b|\b(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)\b|\b([A-Za-z_]\w*)(?=\s*\()/g;
const XML = /(<!--[\s\S]*?-->)|(<\/?[\w:.-]+)|([\w:.-]+)(?==")|("[^"]*")|(\/?>)/g;

const PY_CLASSES = ['comment', 'string', 'keyword', 'number', 'call'];
const XML_CLASSES = ['comment', 'tag', 'attr', 'string', 'tag'];

export function languageOf(name) {
  if (/\.py$|casa_commands\.log$/i.test(name)) return 'python';
  if (/\.xml$/i.test(name)) return 'xml';
  return null;
}

/** Returns a DocumentFragment of `text` with spans classed `hl-<token>`. */
export function highlight(text, lang) {
  const frag = document.createDocumentFragment();
  const re = lang === 'python' ? PY : lang === 'xml' ? XML : null;
  if (!re || text.length > 2_000_000) {
    frag.append(text);
    return frag;
  }
  const classes = lang === 'python' ? PY_CLASSES : XML_CLASSES;
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) frag.append(text.slice(last, m.index));
    const group = m.slice(1).findIndex((g) => g !== undefined);
    const span = document.createElement('span');
    span.className = `hl-${classes[group]}`;
    span.textContent = m[0];
    frag.append(span);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  frag.append(text.slice(last));
  return frag;
}
