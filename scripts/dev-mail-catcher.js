#!/usr/bin/env node
// A local SMTP server for `npm start` on a laptop: accepts every message and saves it as an .eml file, so the
// worker's emails can be read without a mail provider. Production sets SMTP_URL to a real relay instead.
const { SMTPServer } = require('smtp-server');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [, , port = '1025', dir = './data/mail'] = process.argv;
mkdirSync(dir, { recursive: true });
let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      count += 1;
      writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${count}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.on('error', (error) => console.error(`mail catcher: ${error.message}`));
server.listen(Number(port), '127.0.0.1', () => console.error(`Mail catcher on smtp://127.0.0.1:${port}, saving to ${dir}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
