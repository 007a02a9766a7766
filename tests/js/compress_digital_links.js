// Reads uncompressed GS1 Digital Link URIs, one a line, on standard input and prints, one JSON
// line for each, the compressed URI that digital-link.js (GS1's reference compression toolkit,
// bundled there) makes of it, a partially compressed one (primary key left in the path) and
// what the toolkit decompresses each back to.
'use strict';

const { Utils } = require('digital-link.js');
const Toolkit = require('digital-link.js/lib/GS1DigitalLinkCompressionPrototype/GS1DigitalLinkToolkit');

const toolkit = new Toolkit();

const stemOf = (uri) => uri.split('/').slice(0, 3).join('/');

const partiallyCompressed = (uri) => {
  const { GS1: ais, other } = toolkit.extractFromGS1digitalLink(uri);
  const rest = { ...ais };
  delete rest['01'];
  const bits = toolkit.compressGS1AIarrayToBinary(rest, true, other);
  return `${stemOf(uri)}/01/${ais['01']}/${toolkit.bin2base64(bits)}`;
};

const readAll = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

readAll().then((text) => {
  for (const uri of text.split('\n').filter((line) => line.trim())) {
    const compressed = Utils.compressWebUri(uri);
    const partial = partiallyCompressed(uri);
    const result = {
      uri,
      compressed,
      partial,
      decompressed: Utils.decompressWebUri(compressed),
      // digital-link.js's wrapper reads a path before the compressed segment as a custom
      // path, so the toolkit itself decompresses the partial form.
      partialDecompressed: toolkit.decompressGS1DigitalLink(partial, false, stemOf(uri)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
});
