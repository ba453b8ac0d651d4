// Precompresses the build: writes NAME.gz and NAME.br beside every file of
// dist/, so the Go server sends the variant a browser accepts without
// compressing anything per request (internal/httpapi/static_assets.go).
//
// The output is committed and CI rebuilds it and fails on any difference
// (`make web-check`), so it must be the same bytes for the same input:
// gzip's header carries no time and a fixed OS byte, gzip runs at level 9
// (zlib's platform-specific fast paths only change the lower levels' output)
// and brotli at its highest quality with a fixed window. A variant that is
// not smaller than its file is not written: the server then sends the file.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('./dist/', import.meta.url);
const VARIANTS = ['.gz', '.br'];

function gzip(data) {
  const out = gzipSync(data, { level: 9 });
  // RFC 1952 header: bytes 4–7 are MTIME (0: none), byte 9 the OS, which
  // zlib sets to the platform it was built for; 255 is "unknown".
  out.writeUInt32LE(0, 4);
  out[9] = 255;
  return out;
}

function brotli(data) {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: 22,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

// files lists dist/'s files, sorted, as paths relative to dist/.
function files(dir = '') {
  const out = [];
  const entries = readdirSync(new URL(dir, root), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const rel = dir + e.name;
    if (e.isDirectory()) out.push(...files(rel + '/'));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

const all = files();
const present = new Set(all);
for (const rel of all) {
  if (VARIANTS.some((v) => rel.endsWith(v))) {
    // A variant whose file is gone (a build that emptied only part of dist/).
    if (!present.has(rel.slice(0, -3))) unlinkSync(new URL(rel, root));
    continue;
  }
  const data = readFileSync(new URL(rel, root));
  const sizes = [];
  for (const [ext, compress] of [['.gz', gzip], ['.br', brotli]]) {
    const out = compress(data);
    const target = new URL(rel + ext, root);
    if (out.length < data.length) {
      writeFileSync(target, out);
      sizes.push(`${ext.slice(1)} ${out.length}`);
    } else if (present.has(rel + ext)) {
      unlinkSync(target);
    }
  }
  console.log(`compress: dist/${rel} ${data.length} B → ${sizes.join(', ') || 'kept as is'}`);
}
