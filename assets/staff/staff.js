/* The staff page's script: sign in with the admin token, watch the kiosk's screen and state,
 * post and clear announcements.
 *
 * The token lives in sessionStorage (gone when the tab closes) and goes out only as an
 * "Authorization: Bearer" header to this kiosk's /api/v1. Every piece of data from the API
 * reaches the page through textContent, never as HTML. The screenshot cannot be an <img src>
 * (an image request carries no header), so it is fetched and shown through a blob: URL, and
 * refreshed only while the page is visible. A 401 anywhere signs the page out at once, so a
 * changed token cannot run into the kiosk's ten-failures lockout by polling. */
'use strict';

(function () {
    const TOKEN_KEY = 'kiosk-staff-token';
    const SHOT_EVERY_MS = 5000;
    const STATE_EVERY_MS = 10000;
    const LEVEL_NAMES = { normal: '通常', important: '重要', emergency: '緊急' };
    // The optional translations beside text.ja: the key the kiosk keeps (docs/feed.md), its
    // name in the list, and its form field.
    const TRANSLATIONS = [
        ['en', '英語', 'text-en'],
        ['zh-Hans', '中国語', 'text-zh'],
        ['ko', '韓国語', 'text-ko'],
        ['ja-easy', 'やさしい日本語', 'text-easy'],
    ];

    let token = null;
    let shotUrl = null;
    let shotBusy = false;
    let shotTimer = null;
    let stateTimer = null;
    let signingIn = false;

    const $ = (id) => document.getElementById(id);

    class ApiError extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    /* ---- the API ---------------------------------------------------------------------- */

    async function api(method, path, body) {
        const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
        const init = { method, headers, cache: 'no-store', credentials: 'omit' };
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
            init.body = JSON.stringify(body);
        }
        let resp;
        try {
            resp = await fetch(path, init);
        } catch (e) {
            throw new ApiError(0, String(e && e.message ? e.message : e));
        }
        if (!resp.ok) {
            let msg = 'HTTP ' + resp.status;
            try {
                const j = await resp.json();
                if (j && typeof j.error === 'string') {
                    msg = j.error;
                }
            } catch (e) {
                /* not JSON: keep the status line */
            }
            throw new ApiError(resp.status, msg);
        }
        return resp;
    }

    async function apiJson(method, path, body) {
        const resp = await api(method, path, body);
        if (resp.status === 204) {
            return null;
        }
        return resp.json();
    }

    /* What went wrong, in Japanese, followed by the kiosk's own message. */
    function describe(err) {
        const status = err instanceof ApiError ? err.status : -1;
        const why = {
            0: '表示機に接続できません',
            400: '内容に誤りがあります',
            401: 'トークンが正しくありません',
            404: '見つかりません',
            409: 'お知らせが多すぎます',
            413: '内容が長すぎます',
            429: '失敗が続いたため、しばらく待ってからやり直してください',
            500: '表示機で保存できませんでした',
            503: '表示機が応答できません',
        }[status] || 'エラーが起きました';
        const code = status > 0 ? '（' + status + '）' : '';
        return why + code + ': ' + (err && err.message ? err.message : String(err));
    }

    /* ---- messages and small formatters -------------------------------------------------- */

    function say(text, isError) {
        const m = $('message');
        m.textContent = text;
        m.classList.toggle('error', !!isError);
        m.hidden = false;
    }

    function quiet() {
        $('message').hidden = true;
    }

    const p2 = (n) => String(n).padStart(2, '0');

    const timeFmt = new Intl.DateTimeFormat('ja-JP', {
        month: 'numeric', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit',
    });
    const clockFmt = new Intl.DateTimeFormat('ja-JP', {
        hour: '2-digit', minute: '2-digit', second: '2-digit',
    });

    function fmtTime(iso) {
        if (typeof iso !== 'string' || !iso) {
            return 'なし';
        }
        const d = new Date(iso);
        return isNaN(d.getTime()) ? iso : timeFmt.format(d);
    }

    function fmtDuration(s) {
        s = Math.max(0, Math.floor(Number(s) || 0));
        const d = Math.floor(s / 86400);
        const h = Math.floor((s % 86400) / 3600);
        const m = Math.floor((s % 3600) / 60);
        if (d > 0) {
            return d + '日 ' + h + '時間';
        }
        if (h > 0) {
            return h + '時間 ' + m + '分';
        }
        return m > 0 ? m + '分' : s + '秒';
    }

    function fmtBytes(n) {
        n = Number(n);
        if (!isFinite(n) || n < 0) {
            return '不明';
        }
        if (n >= 1e9) {
            return (n / 1e9).toFixed(1) + ' GB';
        }
        if (n >= 1e6) {
            return (n / 1e6).toFixed(1) + ' MB';
        }
        return Math.round(n / 1e3) + ' KB';
    }

    /* A datetime-local value ("2026-06-01T17:30", the browser's zone) as ISO 8601 with the
     * offset, which is what the kiosk requires. */
    function isoWithOffset(d) {
        const off = -d.getTimezoneOffset();
        const a = Math.abs(off);
        return d.getFullYear() + '-' + p2(d.getMonth() + 1) + '-' + p2(d.getDate()) + 'T' +
            p2(d.getHours()) + ':' + p2(d.getMinutes()) + ':00' + (off >= 0 ? '+' : '-') +
            p2(Math.floor(a / 60)) + ':' + p2(a % 60);
    }

    function localInputValue(d) {
        return d.getFullYear() + '-' + p2(d.getMonth() + 1) + '-' + p2(d.getDate()) + 'T' +
            p2(d.getHours()) + ':' + p2(d.getMinutes());
    }

    function el(tag, cls, text) {
        const e = document.createElement(tag);
        if (cls) {
            e.className = cls;
        }
        if (text !== undefined && text !== null) {
            e.textContent = String(text);
        }
        return e;
    }

    /* ---- signing in and out ------------------------------------------------------------- */

    async function signIn(candidate, remembered) {
        if (signingIn) {
            return;
        }
        signingIn = true;
        $('signin').disabled = true;
        token = candidate;
        try {
            /* One request decides: a wrong token costs one failure, not three. */
            const st = await apiJson('GET', '/api/v1/status');
            sessionStorage.setItem(TOKEN_KEY, candidate);
            $('token').value = '';
            $('signin-panel').hidden = true;
            $('app').hidden = false;
            $('signout').hidden = false;
            quiet();
            showStatus(st);
            defaultEndTime();
            start();
        } catch (e) {
            token = null;
            if (remembered) {
                sessionStorage.removeItem(TOKEN_KEY);
            }
            say(describe(e), true);
        } finally {
            signingIn = false;
            $('signin').disabled = false;
        }
    }

    function signOut(why) {
        stop();
        token = null;
        sessionStorage.removeItem(TOKEN_KEY);
        $('app').hidden = true;
        $('signout').hidden = true;
        $('signin-panel').hidden = false;
        $('ann-list').replaceChildren();
        $('active-list').replaceChildren();
        $('status').replaceChildren();
        $('shot').removeAttribute('src');
        if (shotUrl) {
            URL.revokeObjectURL(shotUrl);
            shotUrl = null;
        }
        if (why) {
            say(why, true);
        } else {
            quiet();
        }
    }

    /* Every failed call comes here: a 401 means the token no longer works. */
    function failed(e) {
        if (e instanceof ApiError && e.status === 401) {
            signOut(describe(e) + '。もう一度サインインしてください。');
        } else {
            say(describe(e), true);
        }
    }

    /* ---- polling while visible ---------------------------------------------------------- */

    function start() {
        stop();
        refreshAll();
        shotTimer = setInterval(() => {
            if (document.visibilityState === 'visible' && $('shot-auto').checked) {
                refreshShot();
            }
        }, SHOT_EVERY_MS);
        stateTimer = setInterval(() => {
            if (document.visibilityState === 'visible') {
                refreshState();
            }
        }, STATE_EVERY_MS);
    }

    function stop() {
        clearInterval(shotTimer);
        clearInterval(stateTimer);
        shotTimer = stateTimer = null;
    }

    function refreshAll() {
        refreshShot();
        refreshState();
        refreshUsage();
    }

    function refreshState() {
        refreshStatus();
        refreshList();
    }

    async function refreshShot() {
        if (shotBusy || !token) {
            return;
        }
        shotBusy = true;
        try {
            const resp = await api('GET', '/api/v1/screenshot');
            const blob = await resp.blob();
            if (blob.type !== 'image/png') {
                throw new ApiError(resp.status, 'the screenshot is not a PNG (' + blob.type + ')');
            }
            if (!token) {
                return; /* signed out meanwhile */
            }
            const url = URL.createObjectURL(blob);
            const img = $('shot');
            const old = shotUrl;
            shotUrl = url;
            img.onload = () => {
                if (old) {
                    URL.revokeObjectURL(old);
                }
                $('shot-none').hidden = true;
                $('shot-time').textContent = clockFmt.format(new Date()) + ' 現在';
            };
            img.src = url;
        } catch (e) {
            /* 429 here means another screenshot (another staff page) is being taken, not a
             * lock-out: keep the picture shown and try at the next refresh. */
            if (!(e instanceof ApiError && e.status === 429)) {
                failed(e);
            }
        } finally {
            shotBusy = false;
        }
    }

    /* ---- usage counts: this week's figures and a chart of sessions per day ----------------- */

    const SVG_NS = 'http://www.w3.org/2000/svg';
    const USAGE_ROWS = [
        ['sessions', '利用（セッション）'],
        ['listing_opens', '催し・募集を開いた'],
        ['qr_shown', 'QRコード表示'],
        ['attract_qr_shown', '待機画面のQRコード'],
        ['filters_used', '絞り込み'],
    ];

    function svg(tag, attrs, text) {
        const e = document.createElementNS(SVG_NS, tag);
        for (const k of Object.keys(attrs)) {
            e.setAttribute(k, String(attrs[k]));
        }
        if (text !== undefined) {
            e.textContent = String(text);
        }
        return e;
    }

    /* Bars of sessions per day, drawn here: the page loads no script from elsewhere. */
    function drawUsageChart(days) {
        const chart = $('usage-chart');
        const w = 700, h = 200, top = 20, bottom = 30, left = 10;
        const max = Math.max(1, ...days.map((d) => Number(d.sessions) || 0));
        const slot = (w - left) / Math.max(1, days.length);
        const parts = [svg('line', { class: 'axis', x1: left, y1: h - bottom, x2: w, y2: h - bottom })];
        days.forEach((d, i) => {
            const n = Number(d.sessions) || 0;
            const bh = Math.round((h - top - bottom) * n / max);
            const x = left + i * slot + slot * 0.15;
            parts.push(svg('rect', { class: 'bar', x: x.toFixed(1), y: h - bottom - bh,
                width: (slot * 0.7).toFixed(1), height: bh }));
            parts.push(svg('text', { x: (x + slot * 0.35).toFixed(1), y: h - bottom - bh - 4,
                'text-anchor': 'middle' }, n));
            const md = String(d.date || '').slice(5).replace('-', '/');
            parts.push(svg('text', { x: (x + slot * 0.35).toFixed(1), y: h - 8,
                'text-anchor': 'middle' }, md));
        });
        chart.replaceChildren(...parts);
    }

    async function refreshUsage() {
        try {
            const st = await apiJson('GET', '/api/v1/stats');
            const dl = $('usage-totals');
            dl.replaceChildren();
            for (const [key, label] of USAGE_ROWS) {
                dl.append(el('dt', null, label), el('dd', null, (st.totals || {})[key] ?? 0));
            }
            $('usage-range').textContent = st.from + ' 〜 ' + st.to;
            drawUsageChart(Array.isArray(st.days) ? st.days : []);
            $('usage-panel').hidden = false;
        } catch (e) {
            /* 404: this kiosk keeps no counts (no state dir); anything else as usual */
            if (e instanceof ApiError && e.status === 404) {
                $('usage-panel').hidden = true;
            } else {
                failed(e);
            }
        }
    }

    async function refreshStatus() {
        try {
            showStatus(await apiJson('GET', '/api/v1/status'));
        } catch (e) {
            failed(e);
        }
    }

    async function refreshList() {
        try {
            showList(await apiJson('GET', '/api/v1/announcements'));
        } catch (e) {
            failed(e);
        }
    }

    /* ---- status ------------------------------------------------------------------------- */

    function showStatus(st) {
        if (!st || typeof st !== 'object') {
            return;
        }
        const rows = [];
        const add = (name, value, bad) => rows.push([name, value, !!bad]);
        const counts = st.counts || {};
        const sync = st.last_sync || {};

        add('バージョン', st.version || '不明');
        add('起動からの時間', fmtDuration(st.uptime_s));
        if (st.status_reported === false) {
            add('アプリ', 'まだ報告がありません', true);
        }
        add('時計', st.clock_synced ? '同期済み' : '未同期（時刻が正しくない可能性）',
            !st.clock_synced);
        if (sync.at) {
            add('最後の同期', fmtTime(sync.at) + ' ' + (sync.ok ? '成功' : '失敗') +
                (sync.message ? '：' + sync.message : ''), !sync.ok);
        } else {
            add('最後の同期', 'まだありません', true);
        }
        if (st.content_fetched_at) {
            add('データの確認', fmtTime(st.content_fetched_at) + '（' +
                fmtDuration(st.cache_age_s) + '前）');
        }
        add('件数', 'イベント ' + (counts.events ?? 0) + '件・ボランティア ' +
            (counts.volunteers ?? 0) + '件');
        add('お知らせ', '表示中 ' + (counts.announcements_active ?? 0) + '件（ここから掲示 ' +
            (counts.announcements_direct ?? 0) + '件）');
        add('描画したフレーム', String(st.frames_drawn ?? 0) +
            (st.last_frame_at ? '（最後 ' + fmtTime(st.last_frame_at) + '、' +
                (st.last_frame_ms ?? 0) + ' ms）' : ''));
        const panel = st.panel || {};
        if (panel.state) {
            const last = panel.last_command;
            let cmd = '';
            if (last && last.outcome === 'exited') {
                cmd = '、最後のコマンド ' + (last.command === 'on' ? '点灯' : '消灯') +
                    ' 終了コード ' + last.exit_status;
            } else if (last) {
                cmd = '、最後のコマンド ' + (last.command === 'on' ? '点灯' : '消灯') +
                    ' 失敗（' + last.outcome + '）';
            }
            add('画面の電源', (panel.state === 'on' ? 'オン' : 'オフ') +
                (panel.reason === 'emergency' ? '（閉館中・緊急のお知らせ）'
                    : panel.state === 'on' ? '（開館時間）' : '（閉館時間）') +
                (panel.commands_configured ? '' : '・電源コマンドの設定なし') +
                (last && last.finished_at ? cmd + '（' + fmtTime(last.finished_at) + '）' : cmd),
                !!last && (last.outcome !== 'exited' || last.exit_status !== 0));
        }
        add('メモリ使用量', fmtBytes(st.memory_rss_bytes));
        const free = Number(st.state_dir_free_bytes);
        add('空き容量', fmtBytes(free) + (st.state_dir ? '（' + st.state_dir + '）' : ''),
            isFinite(free) && free >= 0 && free < 50e6);
        if (typeof st.open_fds === 'number') {
            add('開いているファイル', st.open_fds + '個');
        }
        if (typeof st.soc_temp_c === 'number') {
            add('SoC温度', st.soc_temp_c.toFixed(1) + ' °C', st.soc_temp_c >= 80);
        }
        if (typeof st.throttled === 'string') {
            const power = st.under_voltage_now ? '電圧低下中'
                : st.under_voltage_seen ? '起動後に電圧低下あり' : '正常';
            add('電源', power + (st.throttled_now ? '・性能制限中' : '') +
                '（' + st.throttled + '）', st.under_voltage_now || st.under_voltage_seen);
        }

        const dl = $('status');
        const items = [];
        for (const [name, value, bad] of rows) {
            items.push(el('dt', null, name));
            items.push(el('dd', bad ? 'bad' : null, value));
        }
        dl.replaceChildren(...items);
        $('status-time').textContent = clockFmt.format(new Date()) + ' 現在';
    }

    /* ---- announcements ------------------------------------------------------------------ */

    function annState(a, now) {
        if (a.active && a.shown === false && a.reason === 'targets') {
            /* active, but its targets name other kiosks: saying 表示中 would mislead */
            return ['このキオスクには非表示（対象外）', false];
        }
        if (a.active) {
            return ['表示中', true];
        }
        const starts = Date.parse(a.starts_at);
        if (isFinite(starts) && starts > now) {
            return ['予定', false];
        }
        return ['終了', false];
    }

    /* One announcement; `compact` (what is shown now) names its other languages on one line
     * instead of giving each text. */
    function annItem(a, now, withClear, compact) {
        const li = el('li');
        li.dataset.id = typeof a.id === 'string' ? a.id : '';
        const head = el('div');
        const level = LEVEL_NAMES[a.level] ? a.level : 'normal';
        head.append(el('span', 'badge ' + level, LEVEL_NAMES[level]));
        const [stateName, on] = annState(a, now);
        head.append(el('span', 'badge state' + (on ? ' on' : ''), stateName));
        if (a.source === 'feed') {
            head.append(el('span', 'badge state', '配信'));
        }
        li.append(head);
        const text = a.text || {};
        li.append(el('p', 'ann-text', text.ja || text.en || ''));
        const has = TRANSLATIONS.filter(([key]) => text.ja && typeof text[key] === 'string' &&
            text[key]);
        if (compact && has.length) {
            li.append(el('p', 'ann-meta', 'ほかの言語：' + has.map(([, name]) => name).join('・')));
        }
        for (const [key, name] of compact ? [] : has) {
            const p = el('p', 'ann-meta', name + '：' + text[key]);
            p.lang = key;
            li.append(p);
        }
        const until = a.until_cleared ? '取り消すまで' : '終了 ' + fmtTime(a.ends_at);
        li.append(el('p', 'ann-meta', '開始 ' + fmtTime(a.starts_at) + ' ・ ' + until +
            (a.created_by ? ' ・ ' + a.created_by : '')));
        if (withClear) {
            const b = el('button', 'danger', '取り消す');
            b.type = 'button';
            b.addEventListener('click', () => clearOne(a, b));
            li.append(b);
        }
        return li;
    }

    function showList(doc) {
        if (!doc || typeof doc !== 'object') {
            return;
        }
        const now = Date.parse(doc.now) || Date.now();
        const direct = Array.isArray(doc.announcements) ? doc.announcements : [];
        const active = Array.isArray(doc.active) ? doc.active : [];
        $('ann-list').replaceChildren(...direct.map((a) => annItem(a, now, true, false)));
        $('ann-empty').hidden = direct.length > 0;
        $('list-count').textContent = direct.length + '件';
        // JMA and CAP announcements the kiosk put up by itself can be taken down here too;
        // the same report does not bring them back (docs/safety.md)
        const automatic = (a) => /^(jma|jma-drill|cap|cap-drill)\./.test(a.id || '');
        $('active-list').replaceChildren(...active.map((a) => annItem(a, now, automatic(a), true)));
        $('active-empty').hidden = active.length > 0;
    }

    async function clearOne(a, button) {
        const text = (a.text && (a.text.ja || a.text.en)) || a.id;
        if (!window.confirm('このお知らせを取り消しますか？\n\n' + text)) {
            return;
        }
        button.disabled = true;
        try {
            await api('DELETE', '/api/v1/announcements/' + encodeURIComponent(a.id));
            say('取り消しました：' + text, false);
            await refreshList();
            refreshStatus();
            refreshShot();
        } catch (e) {
            button.disabled = false;
            failed(e);
        }
    }

    /* ---- posting ------------------------------------------------------------------------ */

    function selectedLevel() {
        const r = document.querySelector('input[name="level"]:checked');
        return r ? r.value : 'normal';
    }

    /* The end time starts one hour ahead, on the next quarter hour. */
    function defaultEndTime() {
        const d = new Date(Date.now() + 3600 * 1000);
        d.setSeconds(0, 0);
        d.setMinutes(Math.ceil(d.getMinutes() / 15) * 15);
        $('ends-at').value = localInputValue(d);
        $('ends-at').min = localInputValue(new Date());
    }

    function levelChanged() {
        const emergency = selectedLevel() === 'emergency';
        $('emergency-hint').hidden = !emergency;
        $('until-cleared-row').hidden = !emergency;
        if (!emergency) {
            $('until-cleared').checked = false;
        }
        untilChanged();
    }

    function untilChanged() {
        const until = $('until-cleared').checked;
        $('ends-at').disabled = until;
        $('ends-at').required = !until;
    }

    async function post(ev) {
        ev.preventDefault();
        const ja = $('text-ja').value.trim();
        const level = selectedLevel();
        const until = level === 'emergency' && $('until-cleared').checked;
        if (!ja) {
            say('本文（日本語）を入力してください。', true);
            return;
        }
        const body = { text: { ja }, level, created_by: 'スタッフ用ページ' };
        for (const [key, , field] of TRANSLATIONS) {
            const v = $(field).value.trim();
            if (v) {
                body.text[key] = v;
            }
        }
        if (until) {
            body.until_cleared = true;
        } else {
            const end = new Date($('ends-at').value);
            if (isNaN(end.getTime())) {
                say('終了時刻を入力してください。', true);
                return;
            }
            if (end.getTime() <= Date.now()) {
                say('終了時刻が過ぎています。これから先の時刻を選んでください。', true);
                return;
            }
            body.ends_at = isoWithOffset(end);
        }
        $('post').disabled = true;
        try {
            const saved = await apiJson('POST', '/api/v1/announcements', body);
            say('掲示しました：' + ja + (saved && saved.id ? '（' + saved.id + '）' : ''), false);
            $('text-ja').value = '';
            for (const [, , field] of TRANSLATIONS) {
                $(field).value = '';
            }
            await refreshList();
            refreshStatus();
            refreshShot();
            /* The kiosk draws it at its next frame; look again once it surely has. */
            setTimeout(refreshShot, 1500);
        } catch (e) {
            failed(e);
        } finally {
            $('post').disabled = false;
        }
    }

    /* ---- wiring ------------------------------------------------------------------------- */

    function init() {
        $('signin-form').addEventListener('submit', (ev) => {
            ev.preventDefault();
            const t = $('token').value.trim();
            if (t) {
                signIn(t, false);
            }
        });
        $('signout').addEventListener('click', () => signOut(null));
        $('post-form').addEventListener('submit', post);
        $('shot-refresh').addEventListener('click', refreshShot);
        $('status-refresh').addEventListener('click', () => {
            refreshState();
            refreshUsage();
        });
        for (const r of document.querySelectorAll('input[name="level"]')) {
            r.addEventListener('change', levelChanged);
        }
        $('until-cleared').addEventListener('change', untilChanged);
        document.addEventListener('visibilitychange', () => {
            if (document.visibilityState === 'visible' && token) {
                refreshAll();
            }
        });
        const saved = sessionStorage.getItem(TOKEN_KEY);
        if (saved) {
            signIn(saved, true);
        }
    }

    init();
}());
