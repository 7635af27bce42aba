import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { dropOwnTemplates, freshDatabase } from '../../tests/support/db.ts';
import { createMailer, enqueueMail, listOutbox, retryDelaySeconds } from './mail.ts';

after(dropOwnTemplates);

/** A minimal SMTP server on loopback that keeps what it receives. */
function smtpServer(): Promise<{ port: number; messages: string[]; close: () => void }> {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    socket.write('220 test ESMTP\r\n');
    let buffer = '';
    let inData = false;
    let current = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            current = '';
            socket.write('250 2.0.0 queued\r\n');
          } else current += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
        } else socket.write(verb === 'EHLO' || verb === 'HELO' ? '250 test\r\n' : '250 OK\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as net.AddressInfo).port, messages, close: () => server.close() }),
    ),
  );
}

test('retries wait 1, 2, 4 … minutes, at most 6 hours', () => {
  assert.deepEqual([1, 2, 3, 4, 20].map(retryDelaySeconds), [60, 120, 240, 480, 21600]);
});

test('the outbox is sent over SMTP; a failure is kept for a later try', async () => {
  const database = await freshDatabase('pglite');
  const smtp = await smtpServer();
  const logger = pino({ level: 'silent' });
  try {
    await enqueueMail(database.db, {
      to: 'htx@tomkho.vn',
      subject: 'Đặt lại mật khẩu',
      text: 'Xin chào, liên kết: …',
    });
    const mailer = createMailer(database.db, {
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: 'OCOP <no-reply@ocop.vn>',
      logger,
    });
    assert.equal(await mailer.sendPending(), 1);
    assert.equal(await mailer.sendPending(), 0, 'nothing sent twice');
    await mailer.stop();
    assert.equal(smtp.messages.length, 1);
    assert.match(smtp.messages[0]!, /^To: htx@tomkho\.vn$/m);
    assert.match(smtp.messages[0]!, /^Subject: =\?UTF-8\?/m);
    const [sent] = await listOutbox(database.db);
    assert.ok(sent?.sentAt);
    assert.equal(sent?.attempts, 1);

    smtp.close();
    await enqueueMail(database.db, { to: 'b@x.vn', subject: 'x', text: 'y' });
    const down = createMailer(database.db, {
      smtpUrl: 'smtp://127.0.0.1:9',
      from: 'OCOP <no-reply@ocop.vn>',
      logger,
    });
    assert.equal(await down.sendPending(), 0);
    await down.stop();
    const failed = await sql<{ attempts: number; last_error: string; later: boolean }>`
      select attempts, last_error, next_attempt_at > now() as later from platform.outbox where sent_at is null`.execute(
      database.db,
    );
    assert.equal(failed.rows[0]?.attempts, 1);
    assert.match(failed.rows[0]!.last_error, /ECONNREFUSED/);
    assert.equal(failed.rows[0]?.later, true);
  } finally {
    smtp.close();
    await database.destroy();
  }
});

test('without SMTP_URL nothing is sent and the mail waits', async () => {
  const database = await freshDatabase('pglite');
  try {
    await enqueueMail(database.db, { to: 'a@x.vn', subject: 's', text: 't' });
    const mailer = createMailer(database.db, {
      smtpUrl: undefined,
      from: 'x@y.vn',
      logger: pino({ level: 'silent' }),
    });
    assert.equal(await mailer.sendPending(), 0);
    assert.equal((await listOutbox(database.db))[0]?.sentAt, null);
  } finally {
    await database.destroy();
  }
});
