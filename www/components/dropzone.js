// Getting files in: drag and drop (files or whole folders) anywhere on the page, the file and
// folder pickers, and the built-in sample. Everything ends as a list of {file, name} where
// `name` is the path relative to what the user chose.

/** Walks a dropped directory entry (webkitGetAsEntry) into files with relative paths. */
async function walkEntry(entry, prefix, out) {
  if (entry.isFile) {
    const file = await new Promise((res, rej) => entry.file(res, rej));
    out.push({ file, name: prefix + entry.name });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walkEntry(child, `${prefix}${entry.name}/`, out);
    }
  }
}

async function droppedFiles(dataTransfer) {
  const entries = [...(dataTransfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (entries.length === 0 || entries.every((e) => e.isFile)) {
    return [...dataTransfer.files].map((file) => ({ file, name: file.name }));
  }
  const out = [];
  for (const entry of entries) await walkEntry(entry, '', out);
  return out;
}

export function setupInputs({ onfiles, onsample }) {
  const fileInput = document.getElementById('file');
  const folderInput = document.getElementById('folder');
  const pick = () => fileInput.click();
  document.getElementById('open-files').addEventListener('click', pick);
  document.getElementById('open-folder').addEventListener('click', () => folderInput.click());
  document.getElementById('try-sample').addEventListener('click', onsample);
  document.querySelector('[data-action="open-files"]').addEventListener('click', pick);
  document.querySelector('[data-action="try-sample"]').addEventListener('click', onsample);
  fileInput.addEventListener('change', () => {
    onfiles([...fileInput.files].map((file) => ({ file, name: file.name })));
    fileInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    onfiles([...folderInput.files].map((file) => ({ file, name: file.webkitRelativePath || file.name })));
    folderInput.value = '';
  });

  let depth = 0;
  window.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; document.body.classList.add('dragging'); });
  window.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; document.body.classList.remove('dragging'); } });
  window.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    document.body.classList.remove('dragging');
    performance.mark('almapkg:drop');
    const files = await droppedFiles(e.dataTransfer);
    if (files.length) onfiles(files);
  });
}

/** Fetches the sample package shipped with the site (its own static files, nothing else). */
export async function sampleFiles() {
  const base = new URL('./sample/', document.baseURI);
  const names = (await (await fetch(new URL('index.txt', base))).text()).split('\n').filter(Boolean);
  return Promise.all(names.map(async (name) => {
    const blob = await (await fetch(new URL(name, base))).blob();
    return { file: new File([blob], name, { lastModified: 0 }), name };
  }));
}
