// 设置 against the real `yuqing serve` (issue 19.5): an admin creates a department, adds a
// signed webhook contact pointing at a loopback receiver this test runs, presses 测试发送 and sees
// 已送达 once the dispatcher has delivered it (the receiver really got it); a bad target is
// reported next to its field; a user is created with a role and a department and gets a generated
// password shown once; the SMTP form never shows the password; strings from the server are text
// (a department named like markup stays text); a viewer has no 设置 in the nav.
import http from 'node:http';
import { assert, assertEq, launch, login, runSteps, shot, watchPage } from './lib.mjs';
import { cli, startServer, unavailable } from './real_server.mjs';

const RAW = /\[object Object\]|undefined|NaN/;
const SECRET = 'e2e-hook-secret-9f8e7d6c';

async function assertClean(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = RAW.exec(text);
  assert(!m, `${where}: the page shows "${m && m[0]}": …${m ? text.slice(Math.max(0, m.index - 80), m.index + 40) : ''}…`);
}

// A loopback webhook receiver: `next()` resolves with the next request that arrives.
function receiver() {
  const got = [];
  let wake = null;
  const srv = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
      if (wake) { wake(); wake = null; }
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    port: srv.address().port,
    got,
    next(ms) {
      if (got.length) return Promise.resolve(got[0]);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('the receiver got nothing')), ms);
        wake = () => { clearTimeout(timer); res(got[0]); };
      });
    },
    close: () => new Promise((r) => srv.close(r)),
  })));
}

async function settingsFlow() {
  const admin = 'settings-admin';
  const password = `Set-${Math.random().toString(36).slice(2)}-pw`;
  const server = await startServer((data) => {
    cli(data, ['user', 'add', admin, '--role', 'admin', '--password-stdin'], `${password}\n`);
    cli(data, ['user', 'add', 'reader', '--role', 'viewer', '--password-stdin'], `${password}\n`);
  });
  const { base } = server;
  const hook = await receiver();
  const browser = await launch();
  let ok = false;
  try {
    const page = await browser.context.newPage();
    const problems = watchPage(page);
    const dept = '宣传科';
    const evil = '<img src=x onerror=alert(1)>部门';
    ok = await runSteps(`设置 on the real server (${base})`, [
      ['an admin sees 设置 in the nav', async () => {
        await login(page, base, admin, password);
        await page.waitForSelector('.sidenav a[data-page="settings"]');
        await page.click('.sidenav a[data-page="settings"]');
        await page.waitForSelector('#settings-tabs a.seg.active[data-tab="users"]');
        assertEq((await page.textContent('#settings-tabs')).replace(/\s+/g, ''), '用户部门联系人与渠道邮件服务器', 'tabs in Chinese');
      }],
      ['部门: create a department with region rules, and one named like markup', async () => {
        await page.click('#settings-tabs a[data-tab="departments"]');
        await page.waitForSelector('#dept-form');
        await page.fill('#dept-name', dept);
        await page.fill('#dept-description', '新闻发布与舆情应对');
        await page.fill('#dept-regions', '浙江, 杭州');
        await page.click('#dept-save');
        await page.waitForSelector(`#departments-table tr[data-name="${dept}"]`);
        const row = await page.textContent(`#departments-table tr[data-name="${dept}"]`);
        assert(row.includes('新闻发布与舆情应对') && row.includes('浙江、杭州'), `the row shows description and regions: ${row}`);
        await page.fill('#dept-name', dept);
        await page.click('#dept-save');
        await page.waitForSelector('#dept-form .field-msg.bad[data-for="name"], #dept-form .error-box');
        await page.fill('#dept-name', evil);
        await page.click('#dept-save');
        await page.waitForFunction((n) => [...document.querySelectorAll('#departments-table tr')].some((tr) => tr.dataset.name === n), evil);
        assertEq(await page.locator('#departments-table img').count(), 0, 'no <img> from a department name');
        await assertClean(page, '部门');
      }],
      ['联系人与渠道: a bad target is shown next to its field', async () => {
        await page.click('#settings-tabs a[data-tab="contacts"]');
        await page.waitForSelector('#contact-form');
        await page.selectOption('#contact-department-filter', dept);
        await page.selectOption('#contact-department', dept);
        await page.selectOption('#contact-channel', 'webhook');
        await page.fill('#contact-target', 'ftp://127.0.0.1/x');
        await page.click('#contact-save');
        await page.waitForSelector('#contact-form .field-msg.bad[data-for="target"]');
        const msg = await page.textContent('#contact-form .field-msg[data-for="target"]');
        assert(/http/.test(msg), `the message says what a target must be: ${msg}`);
      }],
      ['联系人与渠道: add a signed webhook; the list masks it', async () => {
        await page.fill('#contact-target', `http://127.0.0.1:${hook.port}/receiver/secret-path-abc`);
        await page.fill('#contact-secret', SECRET);
        await page.fill('#contact-name', '值班系统');
        await page.selectOption('#contact-min-level', 'III');
        await page.click('#contact-save');
        await page.waitForSelector('#contacts-table tr[data-channel="webhook"]');
        const row = await page.textContent('#contacts-table tr[data-channel="webhook"]');
        assert(!row.includes(SECRET) && !row.includes('secret-path-abc'), `secret and path are masked: ${row}`);
        assert(row.includes('值班系统') && row.includes(SECRET.slice(-4)), `the row shows the name and the secret's last 4: ${row}`);
        await assertClean(page, '联系人');
      }],
      ['测试发送 reaches the receiver and shows 已送达', async () => {
        await page.click('#contacts-table tr[data-channel="webhook"] .contact-test');
        const req = await hook.next(30000);
        const payload = JSON.parse(req.body);
        assertEq(payload.kind, 'test', 'the receiver got a test message');
        assertEq(req.url, '/receiver/secret-path-abc', 'at the contact URL');
        assert(String(req.headers['x-yuqing-signature'] || '').startsWith('sha256='), 'signed with the secret');
        await page.waitForSelector('#contacts-table tr[data-channel="webhook"] .test-result[data-state="delivered"]', { timeout: 30000 });
        const text = await page.textContent('#contacts-table tr[data-channel="webhook"] .test-result');
        assert(text.startsWith('已送达'), `the result says 已送达: ${text}`);
        await assertClean(page, '测试发送');
        await shot(page, 'real-settings-contacts');
      }],
      ['用户: create a user with a role and a department; the password is shown once', async () => {
        await page.click('#settings-tabs a[data-tab="users"]');
        await page.waitForSelector('#user-form');
        await page.waitForSelector(`#user-new-departments input[value="${dept}"]`);
        await page.fill('#user-new-name', 'xiaowang');
        await page.selectOption('#user-new-role', 'analyst');
        await page.check(`#user-new-departments input[value="${dept}"]`);
        await page.click('#user-create');
        await page.waitForSelector('#users-table tr[data-name="xiaowang"]');
        const pw = (await page.textContent('#user-password-value')).trim();
        assert(pw.length >= 10, `a generated password is shown: ${pw}`);
        const row = await page.textContent('#users-table tr[data-name="xiaowang"]');
        assert(row.includes(dept), `the row shows the department: ${row}`);
        assertEq(await page.$eval('#users-table tr[data-name="xiaowang"] select.user-role', (s) => s.value), 'analyst', 'role');
        await page.fill('#user-new-name', 'xiaowang');
        await page.click('#user-create');
        await page.waitForSelector('#user-form .error-box, #user-form .field-msg.bad');
        await assertClean(page, '用户');
        await shot(page, 'real-settings-users');
      }],
      ['用户: disable and re-enable', async () => {
        await page.click('#users-table tr[data-name="xiaowang"] .user-toggle');
        await page.waitForSelector('#users-table tr.disabled[data-name="xiaowang"]');
        await page.click('#users-table tr[data-name="xiaowang"] .user-toggle');
        await page.waitForSelector('#users-table tr[data-name="xiaowang"]:not(.disabled)');
      }],
      ['邮件服务器: save, and the password never comes back', async () => {
        await page.click('#settings-tabs a[data-tab="smtp"]');
        await page.waitForSelector('#smtp-form');
        await page.fill('#smtp-url', 'smtps://smtp.example.org:465');
        await page.fill('#smtp-from', 'yuqing@example.org');
        await page.fill('#smtp-user', 'yuqing');
        await page.fill('#smtp-password', 'smtp-secret-pass');
        await page.click('#smtp-save');
        await page.waitForFunction(() => document.querySelector('#smtp-password')?.placeholder);
        assertEq(await page.inputValue('#smtp-password'), '', 'the password field is empty after saving');
        await page.reload();
        await page.waitForFunction(() => document.querySelector('#smtp-url')?.value === 'smtps://smtp.example.org:465');
        const html = await page.content();
        assert(!html.includes('smtp-secret-pass'), 'the password is nowhere in the page');
        await page.fill('#smtp-url', 'http://nope');
        await page.click('#smtp-save');
        await page.waitForSelector('#smtp-form .field-msg.bad[data-for="url"]');
      }],
      ['English', async () => {
        await page.goto(`${base}/#/settings/contacts?department=${encodeURIComponent(dept)}`);
        await page.selectOption('#lang-switch', 'en');
        await page.waitForFunction(() => document.querySelector('#settings-tabs')?.textContent.includes('Contacts & channels'));
        await page.waitForSelector('#contacts-table');
        await assertClean(page, 'settings in English');
        await page.selectOption('#lang-switch', 'zh-CN');
        await page.waitForFunction(() => document.querySelector('#settings-tabs')?.textContent.includes('联系人与渠道'));
        assert(problems.length === 0, `no page errors or dialogs: ${problems.join('; ')}`);
      }],
      ['a viewer has no 设置', async () => {
        await page.click('#logout');
        await page.waitForSelector('#login-username');
        await login(page, base, 'reader', password);
        assertEq(await page.locator('.sidenav a[data-page="settings"]').count(), 0, 'no settings link for a viewer');
        await page.goto(`${base}/#/settings`);
        await page.waitForSelector('main .empty');
        assert((await page.textContent('main')).includes('管理员'), 'the page says only admins may');
      }],
    ]);
    if (!ok) await shot(page, 'settings-failure').catch(() => {});
  } finally {
    await browser.close();
    await hook.close();
    if (!ok) console.log(`--- serve output (tail) ---\n${server.output().slice(-2000)}`);
    await server.stop();
  }
  return ok;
}

export async function runSettingsE2e() {
  console.log('\n# settings: real yuqing serve');
  const why = unavailable();
  if (why) {
    console.log(`  - SKIP: ${why}`);
    return true;
  }
  try {
    return await settingsFlow();
  } catch (e) {
    console.log(`  ✗ ${e.stack || e}`);
    return false;
  }
}

if (process.argv[1] && process.argv[1].endsWith('settings_e2e.mjs')) process.exit((await runSettingsE2e()) ? 0 : 1);
