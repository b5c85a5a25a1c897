// staff_e2e: the staff page in a real browser (Debian's chromium, headless, driven by
// playwright-core) against the real kiosk: sign in, post an announcement, see it in the
// kiosk's next screenshot and screen text, clear it; a wrong token changes nothing.
//
// Run by tests/e2e/test_staff_page.sh, which installs chromium and playwright-core, starts the
// kiosk and passes: KIOSK_URL (http://127.0.0.1:PORT), KIOSK_TOKEN, KIOSK_NODE_DIR (where
// node_modules/playwright-core is), OUT_DIR (screenshots are saved there). Prints one
// "ok NAME" or "FAIL NAME" line per check and ends with "N passed, N failed"; exits 1 on any
// failure. Waits poll the kiosk with generous limits; nothing asserts a duration.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const URL_BASE = process.env.KIOSK_URL;
const TOKEN = process.env.KIOSK_TOKEN;
const OUT = process.env.OUT_DIR;
const NODE_DIR = process.env.KIOSK_NODE_DIR;
if (!URL_BASE || !TOKEN || !OUT || !NODE_DIR) {
    console.log('staff_e2e: set KIOSK_URL, KIOSK_TOKEN, OUT_DIR and KIOSK_NODE_DIR');
    process.exit(2);
}
const require = createRequire(join(NODE_DIR, 'package.json'));
const { chromium } = require('playwright-core');

const WRONG_TOKEN = 'wrong-token-0123456789abcdefghij';
let passed = 0;
let failed = 0;

function check(name, cond, detail) {
    if (cond) {
        passed++;
        console.log('ok   ' + name);
    } else {
        failed++;
        console.log('FAIL ' + name + (detail !== undefined ? ': ' + detail : ''));
    }
    return !!cond;
}

async function api(method, path, body, token = TOKEN) {
    const headers = { Authorization: 'Bearer ' + token };
    const init = { method, headers };
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    return fetch(URL_BASE + path, init);
}

async function apiJson(path) {
    const r = await api('GET', path);
    if (!r.ok) {
        throw new Error(path + ': HTTP ' + r.status + ' ' + (await r.text()));
    }
    return r.json();
}

// A screenshot (or screen text) already being taken, e.g. by the page's own refresh, is a
// 429 with Retry-After: wait as told and ask again, a few times.
async function apiBytes(path) {
    let r = await api('GET', path);
    for (let i = 0; i < 10 && r.status === 429; i++) {
        await r.arrayBuffer();
        const wait = Number(r.headers.get('retry-after')) || 1;
        await new Promise((res) => setTimeout(res, Math.min(wait, 5) * 1000));
        r = await api('GET', path);
    }
    if (!r.ok) {
        throw new Error(path + ': HTTP ' + r.status + ' ' + (await r.text()));
    }
    return Buffer.from(await r.arrayBuffer());
}

// Polls `probe` until it returns something truthy, or gives up after `ms`.
async function until(probe, ms = 20000, every = 250) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await probe();
        if (v || Date.now() > end) {
            return v;
        }
        await new Promise((r) => setTimeout(r, every));
    }
}

async function activeIds() {
    return (await apiJson('/api/v1/status')).active_announcements || [];
}

// The text drawn, its lines joined: a notice may wrap over two lines.
async function screenText() {
    const rows = (await apiBytes('/api/v1/screen.txt')).toString('utf8').split('\n');
    return rows.map((r) => r.slice(r.indexOf('\t') + 1)).join('');
}

// ---- the page as plain HTTP: served without the token, with its security headers --------
async function checkHeaders() {
    const r = await fetch(URL_BASE + '/');
    const csp = r.headers.get('content-security-policy') || '';
    check('page_is_served_without_the_token', r.status === 200, r.status);
    check('page_is_html', (r.headers.get('content-type') || '').startsWith('text/html'));
    check('page_csp_allows_only_itself_and_blob_images',
        csp.includes("default-src 'self'") && csp.includes("img-src 'self' blob:") &&
        !csp.includes('unsafe-inline'), csp);
    check('page_has_nosniff_no_referrer_no_store',
        r.headers.get('x-content-type-options') === 'nosniff' &&
        r.headers.get('referrer-policy') === 'no-referrer' &&
        r.headers.get('cache-control') === 'no-store');
    const html = await r.text();
    check('page_has_no_inline_script_or_style',
        !/<script(?![^>]*\bsrc=)[^>]*>/i.test(html) && !/<style/i.test(html) &&
        !/\son[a-z]+=/i.test(html) && !/\sstyle=/i.test(html));
    const js = await fetch(URL_BASE + '/staff.js');
    const css = await fetch(URL_BASE + '/staff.css');
    check('script_and_style_have_their_types',
        js.status === 200 && css.status === 200 &&
        (js.headers.get('content-type') || '').startsWith('text/javascript') &&
        (css.headers.get('content-type') || '').startsWith('text/css'));
    const post = await fetch(URL_BASE + '/', { method: 'POST', body: 'x' });
    check('page_refuses_post_with_405', post.status === 405 &&
        (post.headers.get('allow') || '').includes('GET'), post.status);
    const noauth = await fetch(URL_BASE + '/api/v1/status');
    check('api_still_needs_the_token', noauth.status === 401, noauth.status);
}

async function main() {
    await checkHeaders();

    const profile = mkdtempSync(join(tmpdir(), 'kiosk-staff-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 390, height: 844 },
        hasTouch: true,
        locale: 'ja-JP',
        timezoneId: 'Asia/Tokyo',
        timeout: 30000,
    });
    const problems = [];
    try {
        const page = context.pages()[0] || (await context.newPage());
        page.setDefaultTimeout(15000);
        page.on('pageerror', (e) => problems.push('page error: ' + e.message));
        page.on('console', (m) => {
            if (/Content.Security.Policy|Refused to/i.test(m.text())) {
                problems.push('console: ' + m.text());
            }
        });
        page.on('dialog', (d) => d.accept());
        await runPage(page);
    } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
    }
    check('no_script_errors_or_csp_violations', problems.length === 0, problems.join(' | '));
}

async function runPage(page) {
    const resp = await page.goto(URL_BASE + '/staff');
    check('browser_loads_the_page', resp && resp.status() === 200);
    await page.waitForLoadState('load');
    check('page_is_in_japanese',
        (await page.title()).includes('スタッフ用ページ') &&
        (await page.locator('label[for="token"]').innerText()).includes('トークン') &&
        (await page.locator('#signin').innerText()).includes('サインイン'));
    await page.screenshot({ path: join(OUT, 'page-signin-phone.png'), fullPage: true });

    // A wrong token: an error naming the problem, no app, nothing stored, nothing changed.
    const before = await apiJson('/api/v1/announcements');
    await page.fill('#token', WRONG_TOKEN);
    await page.click('#signin');
    await page.locator('#message.error').waitFor();
    const msg = await page.locator('#message').innerText();
    check('wrong_token_shows_the_error', msg.includes('トークンが正しくありません') &&
        msg.includes('401') && msg.includes('wrong token'), msg);
    check('wrong_token_does_not_sign_in', await page.locator('#app').isHidden() &&
        (await page.evaluate(() => sessionStorage.length)) === 0);
    const after = await apiJson('/api/v1/announcements');
    check('wrong_token_changes_nothing',
        JSON.stringify(before.announcements) === JSON.stringify(after.announcements));
    await page.screenshot({ path: join(OUT, 'page-wrong-token-phone.png'), fullPage: true });

    // The right token.
    await page.fill('#token', TOKEN);
    await page.click('#signin');
    await page.locator('#app').waitFor();
    const version = (await apiJson('/api/v1/status')).version;
    await page.locator('#status dd').first().waitFor();
    const statusText = await page.locator('#status').innerText();
    check('sign_in_shows_the_status', statusText.includes('バージョン') &&
        statusText.includes(version) && statusText.includes('描画したフレーム') &&
        statusText.includes('空き容量') && statusText.includes('メモリ使用量'), statusText);
    // This week's usage, charted by the page itself (SVG bars, one a day, no outside script).
    const bars = await until(() => page.evaluate(() => {
        const panel = document.getElementById('usage-panel');
        const n = document.querySelectorAll('#usage-chart rect.bar').length;
        return !panel.hidden && n > 0 ? n : null;
    }), 10000);
    check('page_charts_sessions_per_day_for_the_week', bars === 7, bars);
    check('token_is_kept_for_the_session_only',
        (await page.evaluate(() => sessionStorage.getItem('kiosk-staff-token'))) === TOKEN &&
        (await page.evaluate(() => localStorage.length)) === 0);
    const shotOk = await until(() => page.evaluate(() => {
        const img = document.getElementById('shot');
        return img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0
            ? img.naturalWidth + 'x' + img.naturalHeight : null;
    }));
    check('page_shows_the_live_screenshot_as_a_blob', shotOk === '1920x1080', shotOk);

    // Post an important announcement with an end time, through the form.
    const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '');
    const text = '本日は17時30分で閉館します（試験' + stamp + '）';
    const shotBefore = await apiBytes('/api/v1/screenshot');
    writeFileSync(join(OUT, 'kiosk-before.png'), shotBefore);
    check('screen_text_before_lacks_it', !(await screenText()).includes(text));
    const ends = await page.evaluate(() => {
        const d = new Date(Date.now() + 2 * 3600 * 1000);
        const p = (n) => String(n).padStart(2, '0');
        return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' +
            p(d.getHours()) + ':' + p(d.getMinutes());
    });
    await page.fill('#text-ja', text);
    await page.fill('#text-en', 'We close at 17:30 today (test).');
    await page.fill('#text-zh', '今天17:30闭馆（测试）');
    await page.locator('label.level', { hasText: '重要' }).click();
    await page.fill('#ends-at', ends);
    await page.click('#post');
    await page.locator('#message:not(.error)', { hasText: '掲示しました' }).waitFor();
    const item = page.locator('#ann-list li', { hasText: text });
    await item.waitFor();
    const itemText = await item.innerText();
    check('posted_announcement_is_in_the_list',
        itemText.includes('重要') && itemText.includes('表示中') && itemText.includes('取り消す'),
        itemText);
    const list = await apiJson('/api/v1/announcements');
    const stored = (list.announcements || []).find((a) => a.text && a.text.ja === text);
    check('kiosk_stored_it_as_important_with_the_end_time',
        stored && stored.level === 'important' &&
        stored.ends_at === ends + ':00+09:00' && stored.text.en.includes('17:30'),
        JSON.stringify(stored));
    check('optional_translations_are_sent_only_when_filled',
        stored && stored.text['zh-Hans'] === '今天17:30闭馆（测试）' && !('ko' in stored.text) &&
        !('ja-easy' in stored.text) && itemText.includes('中国語：今天17:30闭馆'),
        JSON.stringify(stored));
    const id = stored ? stored.id : '(none)';

    // The kiosk shows it: active in its status, on its screen, and the pixels changed.
    const isActive = await until(async () => (await activeIds()).includes(id));
    check('kiosk_reports_it_active', isActive, id);
    const onScreen = await until(async () => (await screenText()).includes(text));
    check('kiosk_draws_its_text', onScreen);
    const shotAfter = await apiBytes('/api/v1/screenshot');
    writeFileSync(join(OUT, 'kiosk-after.png'), shotAfter);
    check('kiosk_screenshot_changed', shotAfter.length > 1000 && !shotAfter.equals(shotBefore));

    // The page's own view of the screen refreshes by itself.
    const firstSrc = await page.getAttribute('#shot', 'src');
    const refreshed = await until(() => page.evaluate((old) => {
        const img = document.getElementById('shot');
        return img.src !== old && img.complete && img.naturalWidth > 0;
    }, firstSrc), 20000);
    check('page_screenshot_refreshes_itself', refreshed);
    await page.screenshot({ path: join(OUT, 'page-posted-phone.png'), fullPage: true });
    for (const card of ['screen', 'post', 'list', 'status']) {
        await page.locator('#' + card + '-panel').screenshot({
            path: join(OUT, 'page-posted-phone-' + card + '.png'),
        });
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'page-posted-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });

    // Only an emergency may stay until cleared; the form offers it only then.
    await page.locator('label.level', { hasText: '緊急' }).click();
    const offered = await page.locator('#until-cleared-row').isVisible();
    await page.check('#until-cleared');
    const endDisabled = await page.locator('#ends-at').isDisabled();
    await page.locator('label.level', { hasText: '通常' }).click();
    check('only_emergency_offers_until_cleared', offered && endDisabled &&
        (await page.locator('#until-cleared-row').isHidden()) &&
        !(await page.locator('#ends-at').isDisabled()));

    // Text from the API is text, never markup.
    const evil = '<img src=x onerror="window.__xss=1">&amp;<b>太字</b>';
    const ev = await api('POST', '/api/v1/announcements', {
        id: 'e2e-escape', level: 'normal', text: { ja: evil },
        ends_at: new Date(Date.now() + 3600e3).toISOString().slice(0, 19) + 'Z',
    });
    check('api_accepts_the_markup_test_text', ev.status === 201, ev.status);
    await page.click('#status-refresh');
    const evilItem = page.locator('#ann-list li[data-id="e2e-escape"]');
    await evilItem.waitFor();
    check('announcement_text_is_escaped',
        (await evilItem.locator('.ann-text').innerText()) === evil &&
        (await page.locator('#ann-list img, #ann-list b').count()) === 0 &&
        (await page.evaluate(() => window.__xss)) === undefined);
    await api('DELETE', '/api/v1/announcements/e2e-escape');

    // Clear it from the page.
    await item.locator('button', { hasText: '取り消す' }).click();
    await page.locator('#message:not(.error)', { hasText: '取り消しました' }).waitFor();
    await page.locator('#ann-list li', { hasText: text }).waitFor({ state: 'detached' });
    check('clear_removes_it_from_the_list', true);
    const gone = await apiJson('/api/v1/announcements');
    check('kiosk_forgot_it', !(gone.announcements || []).some((a) => a.id === id));
    check('kiosk_stops_showing_it',
        await until(async () => !(await activeIds()).includes(id) &&
            !(await screenText()).includes(text)));

    // A token that stops working mid-session signs the page out rather than polling on.
    await page.evaluate((t) => sessionStorage.setItem('kiosk-staff-token', t), WRONG_TOKEN);
    await page.reload();
    await page.locator('#message.error').waitFor();
    check('stale_token_returns_to_sign_in', await page.locator('#signin-panel').isVisible() &&
        (await page.evaluate(() => sessionStorage.length)) === 0);

    // Sign in again and out.
    await page.fill('#token', TOKEN);
    await page.click('#signin');
    await page.locator('#app').waitFor();
    await page.click('#signout');
    check('sign_out_forgets_the_token', await page.locator('#signin-panel').isVisible() &&
        (await page.evaluate(() => sessionStorage.length)) === 0);
}

try {
    await main();
} catch (e) {
    check('no_exception', false, e && e.stack ? e.stack : String(e));
}
console.log(passed + ' passed, ' + failed + ' failed');
process.exit(failed === 0 ? 0 : 1);
