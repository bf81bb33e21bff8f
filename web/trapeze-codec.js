// Moving text in and out of the app and through a URL: strings into WebAssembly
// memory (malloc'd, not on the small C stack), the share_link checks of
// wasm/js_share_api.cpp, and raw-deflate + base64url with the browser's own
// CompressionStream. Decompression stops at the document size cap.
(function () {
  'use strict';

  // Module.ccall, but its string arguments go into malloc'd memory: ccall puts
  // them on the C stack (5 MB), and a long text there (a big paste, a scenario
  // of a few MB, a hostile name) overwrites the app's memory instead of failing.
  function ccall(name, ret, types, args) {
    const M = window.Module;
    const encoder = new TextEncoder();
    const pointers = [];
    try {
      const cArgs = (args || []).map((a, i) => {
        if (typeof a !== 'string' || (types && types[i] !== 'string')) return a;
        const bytes = encoder.encode(a);
        const p = M._malloc(bytes.length + 1);
        if (!p) throw new Error('out of memory');
        pointers.push(p);
        M.HEAPU8.set(bytes, p);
        M.HEAPU8[p + bytes.length] = 0;
        return p;
      });
      return M.ccall(name, ret, cArgs.map(() => 'number'), cArgs);
    } finally {
      for (const p of pointers) M._free(p);
    }
  }

  // Calls a C function taking strings (and numbers) and returning a JSON answer.
  function callJson(name, args) {
    return JSON.parse(ccall(name, 'string', null, args));
  }

  function toBase64url(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function fromBase64url(text) {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  async function compress(text) {
    const stream = new Blob([new TextEncoder().encode(text)]).stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    return toBase64url(new Uint8Array(await new Response(stream).arrayBuffer()));
  }

  // base64url of raw deflate -> text, refusing more than maxBytes of output.
  // Throws an Error whose message says what was wrong.
  async function decompress(data, maxBytes) {
    let compressed;
    try {
      compressed = fromBase64url(data);
    } catch (e) {
      throw new Error('the data is not base64url');
    }
    const reader = new Blob([compressed]).stream()
      .pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const chunks = [];
    let total = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > maxBytes) {
          reader.cancel().catch(() => {});
          throw new Error(`it unpacks to more than ${maxBytes} bytes (the limit)`);
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e.message.startsWith('it unpacks')) throw e;
      throw new Error('the data is damaged (it does not decompress); was the link cut short?');
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) { bytes.set(c, offset); offset += c.length; }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error('the data is not UTF-8 text');
    }
  }

  window.trapezeCodec = { ccall, callJson, compress, decompress, toBase64url, fromBase64url };
})();
