// Reads URIs, one a line, on standard input and prints, one JSON line for each, what
// digital-link.js (GS1 Digital Link parsing written outside this project) makes of it:
// whether it is valid, and the identifier and key qualifiers it read.
'use strict';

const { DigitalLink } = require('digital-link.js');

const readAll = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

readAll().then((text) => {
  for (const uri of text.split('\n').filter((line) => line.trim())) {
    let result;
    try {
      const link = DigitalLink(uri);
      result = {
        uri,
        valid: link.isValid(),
        identifier: link.getIdentifier(),
        keyQualifiers: link.getKeyQualifiers(),
      };
    } catch (error) {
      result = { uri, valid: false, error: String(error.message || error) };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
});
