/* kioskctl: the staff command for the lobby kiosk.
 *
 *   kioskctl announce --level important --until 17:30 "本日は17時30分で閉館します"
 *   kioskctl list | clear ID | status | keygen | sign FILE --key SECRET
 *   kioskctl stats --fiscal-year 2026 | stats --from 2026-12-01 --to 2026-12-07 --csv
 *
 * It is a thin client of the kiosk's admin API (src/admin/admin.h): it builds the JSON the
 * API takes, turns "17:30" into today's 17:30 in the facility's zone, and maps every outcome
 * to a documented exit code so scripts (a closing-time cron job, a fire panel hook) can act
 * on it. It validates what it can locally (id characters, a time already past) so a person
 * hears about a mistake before anything is sent; the kiosk validates everything again.
 * Settings come from flags, then the environment, then /etc/kiosk/kioskctl.conf. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sodium.h>

#include "feed/announce.h"
#include "kioskctl/ctl.h"
#include "util/fsio.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define CTL_DEFAULT_URL "http://127.0.0.1:8080"
#define CTL_DEFAULT_TOKEN_FILE "/etc/kiosk/admin-token"
#define CTL_DEFAULT_CONFIG "/etc/kiosk/kioskctl.conf"
#define CTL_DEFAULT_ZONE "Asia/Tokyo"
#define CTL_DEFAULT_KEY "kiosk-announce.key"
#define CTL_MAX_TARGETS 16
#define CTL_MAX_POS 4

enum ctl_cmd {
    CMD_NONE = 0,
    CMD_ANNOUNCE = 1 << 0,
    CMD_LIST = 1 << 1,
    CMD_CLEAR = 1 << 2,
    CMD_STATUS = 1 << 3,
    CMD_KEYGEN = 1 << 4,
    CMD_SIGN = 1 << 5,
    CMD_STATS = 1 << 6,
};
#define CMD_REMOTE (CMD_ANNOUNCE | CMD_LIST | CMD_CLEAR | CMD_STATUS | CMD_STATS)
#define CMD_ANY (CMD_REMOTE | CMD_KEYGEN | CMD_SIGN)

struct ctl_args {
    enum ctl_cmd cmd;
    const char *cmd_name;
    const char *url, *token_file, *config, *cacert, *timeout;
    const char *level, *until, *from, *id, *by, *out, *key;
    const char *en, *zh_hans, *ko, *ja_easy; /* the text's translations */
    const char *to, *fiscal_year;
    bool until_cleared, json, help, csv;
    const char *targets[CTL_MAX_TARGETS];
    size_t n_targets;
    const char *pos[CTL_MAX_POS];
    size_t n_pos;
};

/* Settings read from the config file; strings owned here. */
struct ctl_file {
    char *url, *token_file, *cacert, *timezone, *timeout;
};

static const char ctl_usage[] =
    "usage: kioskctl [--url URL] [--token-file FILE] [--config FILE] COMMAND [OPTIONS]\n"
    "\n"
    "Commands / コマンド:\n"
    "  announce [--level normal|important|emergency] (--until TIME | --until-cleared)\n"
    "           [--from TIME] [--id ID] [--en TEXT] [--zh-Hans TEXT] [--ko TEXT]\n"
    "           [--ja-easy TEXT] [--target PREFIX]... [--by NAME] TEXT\n"
    "      お知らせを表示する / show an announcement (TEXT in Japanese). --en, --zh-Hans\n"
    "      (Simplified Chinese), --ko (Korean) and --ja-easy (やさしい日本語, readings as\n"
    "      {漢字|かんじ}) are optional translations, shown on screens in that language;\n"
    "      without one a screen shows Japanese marked 日本語のみ. TIME is HH:MM\n"
    "      (today, facility time; an --until already past is an error), YYYY-MM-DD HH:MM,\n"
    "      or ISO 8601 with offset (2026-12-01T17:30+09:00). --until-cleared keeps an\n"
    "      emergency until `kioskctl clear ID`. --id defaults to a new one (printed).\n"
    "  list      直接登録したお知らせ / list direct announcements (and what is shown now)\n"
    "  clear ID  お知らせを削除 / delete a direct announcement\n"
    "  status    キオスクの状態 / the kiosk's status\n"
    "  stats [--fiscal-year YEAR | --from YYYY-MM-DD --to YYYY-MM-DD] [--csv | --json]\n"
    "      利用状況の集計 / usage counts (docs/usage-counts.md): YEAR is a fiscal year,\n"
    "      April 1 to March 31 (2026 = 令和8年度); no range: the last 7 days. --csv writes\n"
    "      the CSV for Excel (UTF-8 with BOM, CRLF): kioskctl stats ... --csv > file.csv\n"
    "  keygen [--out FILE]\n"
    "      署名鍵を作る / make an Ed25519 key for the announcements document: writes the\n"
    "      secret key to FILE (default " CTL_DEFAULT_KEY ", mode 0600, never overwritten)\n"
    "      and prints the public key for the kiosk config's announcement_keys\n"
    "  sign FILE --key SECRETFILE\n"
    "      署名する / write FILE.sig (base64 Ed25519 signature of FILE's exact bytes)\n"
    "\n"
    "Options:\n"
    "  --url URL          kiosk admin API, e.g. http://127.0.0.1:8080 (env KIOSK_URL)\n"
    "  --token-file FILE  file holding the admin token (env KIOSK_TOKEN_FILE)\n"
    "  --config FILE      settings file (default " CTL_DEFAULT_CONFIG ")\n"
    "                     keys: url, token_file, cacert, timezone, timeout\n"
    "  --cacert FILE      CA certificate for an https kiosk with its own certificate\n"
    "  --timeout SECONDS  give up after this long (default 30)\n"
    "  --json             print the kiosk's JSON answer (announce, list, status, stats)\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit codes / 終了コード:\n"
    "  0  ok\n"
    "  1  usage error, or a local file (token, key, document) is unusable\n"
    "  2  the kiosk is unreachable (down, wrong URL, TLS failure, timeout)\n"
    "  3  authentication failed (wrong token; or 429 after too many wrong tokens)\n"
    "  4  the kiosk rejected the request (another 4xx, e.g. bad field or unknown id)\n"
    "  5  the kiosk failed (5xx) or answered nonsense\n";

static int ctl_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int ctl_usage_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctl_say("%s", msg);
    ctl_say("使い方は kioskctl --help / see kioskctl --help");
    return CTL_EXIT_USAGE;
}

/* ---- arguments -------------------------------------------------------------------- */

struct ctl_opt {
    const char *name;
    unsigned cmds; /* commands that take it */
    bool has_value;
    size_t offset; /* of the const char * (value) or bool (flag) in struct ctl_args */
};

#define OPT_V(n, field, cmds)                                                                      \
    {                                                                                              \
        n, cmds, true, offsetof(struct ctl_args, field)                                            \
    }
#define OPT_F(n, field, cmds)                                                                      \
    {                                                                                              \
        n, cmds, false, offsetof(struct ctl_args, field)                                           \
    }

static const struct ctl_opt ctl_opts[] = {
    OPT_V("url", url, CMD_ANY),
    OPT_V("token-file", token_file, CMD_ANY),
    OPT_V("config", config, CMD_ANY),
    OPT_V("cacert", cacert, CMD_ANY),
    OPT_V("timeout", timeout, CMD_ANY),
    OPT_V("level", level, CMD_ANNOUNCE),
    OPT_V("until", until, CMD_ANNOUNCE),
    OPT_V("from", from, CMD_ANNOUNCE | CMD_STATS),
    OPT_V("to", to, CMD_STATS),
    OPT_V("fiscal-year", fiscal_year, CMD_STATS),
    OPT_F("csv", csv, CMD_STATS),
    OPT_V("id", id, CMD_ANNOUNCE),
    OPT_V("en", en, CMD_ANNOUNCE),
    OPT_V("zh-Hans", zh_hans, CMD_ANNOUNCE),
    OPT_V("ko", ko, CMD_ANNOUNCE),
    OPT_V("ja-easy", ja_easy, CMD_ANNOUNCE),
    OPT_V("by", by, CMD_ANNOUNCE),
    OPT_V("target", targets, CMD_ANNOUNCE),
    OPT_V("out", out, CMD_KEYGEN),
    OPT_V("key", key, CMD_SIGN),
    OPT_F("until-cleared", until_cleared, CMD_ANNOUNCE),
    OPT_F("json", json, CMD_ANNOUNCE | CMD_LIST | CMD_STATUS | CMD_STATS),
    OPT_F("help", help, CMD_ANY),
};

static enum ctl_cmd ctl_cmd_from(const char *s)
{
    static const struct {
        const char *name;
        enum ctl_cmd cmd;
    } cmds[] = {{"announce", CMD_ANNOUNCE}, {"list", CMD_LIST},     {"clear", CMD_CLEAR},
                {"status", CMD_STATUS},     {"keygen", CMD_KEYGEN}, {"sign", CMD_SIGN},
                {"stats", CMD_STATS}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(s, cmds[i].name) == 0) {
            return cmds[i].cmd;
        }
    }
    return CMD_NONE;
}

/* Options may come before or after the command; each is checked against the command. */
static int ctl_parse_args(int argc, char **argv, struct ctl_args *a)
{
    const struct ctl_opt *used[sizeof ctl_opts / sizeof ctl_opts[0] * 4];
    size_t n_used = 0;
    bool only_pos = false;

    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const struct ctl_opt *o = NULL;
        const char *value = NULL;
        char name[64];
        size_t nlen;

        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (only_pos || arg[0] != '-' || arg[1] == '\0') {
            if (a->cmd == CMD_NONE) {
                a->cmd = ctl_cmd_from(arg);
                a->cmd_name = arg;
                if (a->cmd == CMD_NONE) {
                    return ctl_usage_error("不明なコマンド / unknown command: %s", arg);
                }
            } else if (a->n_pos < CTL_MAX_POS) {
                a->pos[a->n_pos++] = arg;
            } else {
                return ctl_usage_error("引数が多すぎます / too many arguments: %s", arg);
            }
            continue;
        }
        if (strcmp(arg, "-h") == 0) {
            a->help = true;
            continue;
        }
        if (arg[1] != '-') {
            return ctl_usage_error("不明なオプション / unknown option: %s", arg);
        }
        nlen = strcspn(arg + 2, "=");
        if (nlen >= sizeof name) {
            return ctl_usage_error("不明なオプション / unknown option: %s", arg);
        }
        memcpy(name, arg + 2, nlen);
        name[nlen] = '\0';
        for (size_t k = 0; k < sizeof ctl_opts / sizeof ctl_opts[0]; k++) {
            if (strcmp(ctl_opts[k].name, name) == 0) {
                o = &ctl_opts[k];
            }
        }
        if (!o) {
            return ctl_usage_error("不明なオプション / unknown option: %s", arg);
        }
        if (o->has_value) {
            if (arg[2 + nlen] == '=') {
                value = arg + 3 + nlen;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return ctl_usage_error("値がありません / option needs a value: %s", arg);
            }
            if (o->offset == offsetof(struct ctl_args, targets)) {
                if (a->n_targets >= CTL_MAX_TARGETS) {
                    return ctl_usage_error("--target が多すぎます / too many --target");
                }
                a->targets[a->n_targets++] = value;
            } else {
                *(const char **)(void *)((char *)a + o->offset) = value;
            }
        } else {
            if (arg[2 + nlen] == '=') {
                return ctl_usage_error("値を取りません / option takes no value: %s", arg);
            }
            *(bool *)(void *)((char *)a + o->offset) = true;
        }
        if (n_used < sizeof used / sizeof used[0]) {
            used[n_used++] = o;
        }
    }
    if (a->help) {
        return CTL_EXIT_OK;
    }
    if (a->cmd == CMD_NONE) {
        return ctl_usage_error("コマンドがありません / no command given");
    }
    for (size_t i = 0; i < n_used; i++) {
        if (!(used[i]->cmds & (unsigned)a->cmd)) {
            char msg[160];
            snprintf(msg, sizeof msg, "--%s does not apply to %s", used[i]->name, a->cmd_name);
            return ctl_usage_error("オプションが使えません / %s", msg);
        }
    }
    return CTL_EXIT_OK;
}

/* ---- settings file ---------------------------------------------------------------- */

static char *ctl_trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n')) {
        *--end = '\0';
    }
    return s;
}

static void ctl_file_free(struct ctl_file *f)
{
    free(f->url);
    free(f->token_file);
    free(f->cacert);
    free(f->timezone);
    free(f->timeout);
}

/* Reads `key = value` lines. A missing default file is fine; a missing --config is not. */
static int ctl_file_load(const char *path, bool required, struct ctl_file *f)
{
    char *data = NULL, *line, *save = NULL;
    int rc = fsio_read_file(path, 65536, &data, NULL), lineno = 0;
    if (rc == -ENOENT && !required) {
        return CTL_EXIT_OK;
    }
    if (rc < 0) {
        ctl_say("設定ファイル %s を読めません / cannot read config %s: %s", path, path,
                strerror(-rc));
        return CTL_EXIT_USAGE;
    }
    rc = CTL_EXIT_OK;
    for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *eq, *key, *value, **slot = NULL;
        lineno++;
        key = ctl_trim(line);
        if (!*key || *key == '#') {
            continue;
        }
        eq = strchr(key, '=');
        if (!eq) {
            ctl_say("%s:%d: key = value の形式ではありません / not key = value", path, lineno);
            rc = CTL_EXIT_USAGE;
            break;
        }
        *eq = '\0';
        key = ctl_trim(key);
        value = ctl_trim(eq + 1);
        if (strcmp(key, "url") == 0) {
            slot = &f->url;
        } else if (strcmp(key, "token_file") == 0) {
            slot = &f->token_file;
        } else if (strcmp(key, "cacert") == 0) {
            slot = &f->cacert;
        } else if (strcmp(key, "timezone") == 0) {
            slot = &f->timezone;
        } else if (strcmp(key, "timeout") == 0) {
            slot = &f->timeout;
        }
        if (!slot) {
            ctl_say("%s:%d: 不明なキー / unknown key \"%s\" (url, token_file, cacert, "
                    "timezone, timeout)",
                    path, lineno, key);
            rc = CTL_EXIT_USAGE;
            break;
        }
        free(*slot);
        *slot = strdup(value);
        if (!*slot) {
            rc = CTL_EXIT_USAGE;
            break;
        }
    }
    free(data);
    return rc;
}

static int ctl_read_token(const char *path, char **out)
{
    char *data = NULL;
    size_t len = 0;
    int rc = fsio_read_file(path, 4096, &data, &len);
    if (rc < 0) {
        ctl_say("トークンファイル %s を読めません / cannot read the token file %s: %s "
                "(use --token-file or KIOSK_TOKEN_FILE)",
                path, path, strerror(-rc));
        return CTL_EXIT_USAGE;
    }
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' ' ||
                       data[len - 1] == '\t')) {
        data[--len] = '\0';
    }
    if (len == 0 || strchr(data, '\n')) {
        ctl_say("トークンファイル %s が空か複数行です / the token file %s is empty or has "
                "several lines",
                path, path);
        free(data);
        return CTL_EXIT_USAGE;
    }
    *out = data;
    return CTL_EXIT_OK;
}

/* ---- time ------------------------------------------------------------------------- */

static int64_t ctl_now(void)
{
    /* Tests pin "now" so "--until 17:30" means the same thing at any hour. */
    const char *s = getenv("KIOSKCTL_NOW");
    if (s && *s) {
        return strtoll(s, NULL, 10);
    }
    return (int64_t)time(NULL);
}

/* Parses TIME as documented in the usage text. For --until a bare date means the end of
 * that day. Returns 0 or -EINVAL. */
static int ctl_parse_time(const char *s, int64_t now, bool until, int64_t *out)
{
    int y, mo, d, h, mi, n = 0;
    bool date_only = false;
    struct time_parts p;

    if (sscanf(s, "%2d:%2d%n", &h, &mi, &n) == 2 && s[n] == '\0' && h >= 0 && h <= 23 && mi >= 0 &&
        mi <= 59 && strlen(s) == 5) {
        timeutil_local(now, &p);
        *out = timeutil_make_local(p.year, p.month, p.day, h, mi);
        return 0;
    }
    if (timeutil_parse_iso8601(s, out, &date_only) == 0) {
        if (date_only && until) {
            *out = timeutil_day_start(*out + 36 * 3600);
        }
        return 0;
    }
    n = 0;
    if ((sscanf(s, "%4d-%2d-%2d %2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5 ||
         sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) == 5) &&
        s[n] == '\0' && strlen(s) == 16 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 &&
        h <= 23 && mi >= 0 && mi <= 59) {
        *out = timeutil_make_local(y, mo, d, h, mi);
        timeutil_local(*out, &p);
        if (p.day != d || p.month != mo) {
            return -EINVAL; /* February 30 */
        }
        return 0;
    }
    return -EINVAL;
}

/* ---- commands --------------------------------------------------------------------- */

static int ctl_finish(const struct ctl_conn *c, struct ctl_reply *r, bool json, int rc)
{
    if (rc == CTL_EXIT_OK && (r->status < 200 || r->status >= 300)) {
        rc = ctl_report_failure(c, r);
    } else if (rc == CTL_EXIT_OK && json) {
        printf("%s\n", r->body);
    }
    ctl_reply_free(r);
    return rc;
}

static const char *ctl_json_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A time field as "YYYY-MM-DD HH:MM" in the facility's zone (the kiosk may answer in any
 * offset); left as sent when it is not ISO 8601. */
static const char *ctl_json_time(const cJSON *obj, const char *name, char *buf, size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    struct time_parts p;
    int64_t t;
    if (!cJSON_IsString(v)) {
        return "-";
    }
    if (timeutil_parse_iso8601(v->valuestring, &t, NULL) < 0) {
        return v->valuestring;
    }
    timeutil_local(t, &p);
    snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", p.year, p.month, p.day, p.hour, p.minute);
    return buf;
}

static int ctl_announce(const struct ctl_conn *c, const struct ctl_args *a)
{
    int64_t now = ctl_now(), starts = 0, ends = 0;
    const char *level = a->level ? a->level : "normal";
    /* the translations by option, each named like the key it fills (ann_rule's order) */
    const struct {
        const char *key, *value;
    } tr[] = {{"en", a->en}, {"zh-Hans", a->zh_hans}, {"ko", a->ko}, {"ja-easy", a->ja_easy}};
    const char *text;
    char id[ANN_ID_MAX + 1], tbuf[40], by[160], host[64];
    cJSON *doc = NULL, *t, *targets;
    char *body = NULL;
    struct ctl_reply r;
    int rc;

    if (a->n_pos != 1) {
        return ctl_usage_error("お知らせの本文を1つ指定してください / give the announcement "
                               "text (Japanese) as one argument");
    }
    text = a->pos[0];
    if (!utf8_valid(text, strlen(text))) {
        return ctl_usage_error("本文が UTF-8 ではありません / the text is not UTF-8");
    }
    for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++) {
        if (tr[i].value && !utf8_valid(tr[i].value, strlen(tr[i].value))) {
            return ctl_usage_error("--%s が UTF-8 ではありません / --%s is not UTF-8", tr[i].key,
                                   tr[i].key);
        }
    }
    if (strcmp(level, "normal") != 0 && strcmp(level, "important") != 0 &&
        strcmp(level, "emergency") != 0) {
        return ctl_usage_error("--level は normal, important, emergency のいずれか / --level "
                               "must be normal, important or emergency, not %s",
                               level);
    }
    if (a->from && ctl_parse_time(a->from, now, false, &starts) < 0) {
        return ctl_usage_error("--from の時刻が読めません / cannot read --from %s (HH:MM, "
                               "YYYY-MM-DD HH:MM or ISO 8601)",
                               a->from);
    }
    if (a->until && ctl_parse_time(a->until, now, true, &ends) < 0) {
        return ctl_usage_error("--until の時刻が読めません / cannot read --until %s "
                               "(HH:MM, YYYY-MM-DD HH:MM or ISO 8601)",
                               a->until);
    }
    if (a->id) {
        snprintf(id, sizeof id, "%s", a->id);
    } else {
        struct time_parts p;
        unsigned char rnd[3];
        randombytes_buf(rnd, sizeof rnd);
        timeutil_local(now, &p);
        snprintf(id, sizeof id, "ctl-%04d%02d%02d-%02d%02d-%02x%02x%02x", p.year, p.month, p.day,
                 p.hour, p.minute, rnd[0], rnd[1], rnd[2]);
    }
    {
        /* The kiosk's own rules (feed/announce), said in the words of these options. */
        struct feed_announcement ann;
        memset(&ann, 0, sizeof ann);
        ann.id = a->id ? a->id : id;
        ann.text.ja = text;
        ann.text.en = a->en;
        ann.text.zh_hans = a->zh_hans;
        ann.text.ko = a->ko;
        ann.text.ja_easy = a->ja_easy;
        ann.level = strcmp(level, "emergency") == 0   ? ANN_LEVEL_EMERGENCY
                    : strcmp(level, "important") == 0 ? ANN_LEVEL_IMPORTANT
                                                      : ANN_LEVEL_NORMAL;
        ann.until_cleared = a->until_cleared;
        ann.starts_at = a->from ? starts : now;
        ann.ends_at = ends;
        enum ann_rule rule = ann_check_direct(&ann, a->until, now, NULL, 0);
        switch (rule) {
        case ANN_RULE_OK:
            break;
        case ANN_RULE_ID:
            return ctl_usage_error("--id は英数字と . _ - で 128 文字まで / --id must be 1-128 "
                                   "of A-Z a-z 0-9 . _ -, not %s",
                                   a->id);
        case ANN_RULE_TEXT:
            return ctl_usage_error("本文が空です（空白や見えない文字だけ）/ the text is empty "
                                   "(only spaces or invisible characters)");
        case ANN_RULE_TEXT_EN:
        case ANN_RULE_TEXT_ZH:
        case ANN_RULE_TEXT_KO:
        case ANN_RULE_TEXT_EASY: {
            const char *opt = tr[rule - ANN_RULE_TEXT_EN].key;
            return ctl_usage_error("--%s が空です（空白や見えない文字だけ）/ --%s is empty "
                                   "(only spaces or invisible characters)",
                                   opt, opt);
        }
        case ANN_RULE_UNTIL_CLEARED_LEVEL:
            return ctl_usage_error("--until-cleared は --level emergency のみ / "
                                   "--until-cleared is only for --level emergency");
        case ANN_RULE_UNTIL_CLEARED_END:
            return ctl_usage_error("--until と --until-cleared は同時に使えません / give "
                                   "--until or --until-cleared, not both");
        case ANN_RULE_NO_END:
            return ctl_usage_error("終了時刻 --until が必要です / --until TIME is required (or "
                                   "--until-cleared with --level emergency)");
        case ANN_RULE_ENDED:
            return ctl_usage_error("--until の時刻は既に過ぎています / --until %s is already "
                                   "past; give a later time or a full date",
                                   a->until);
        case ANN_RULE_END_BEFORE_START:
            return ctl_usage_error("--until は --from より後にしてください / --until must be "
                                   "after --from");
        }
    }
    if (a->by) {
        snprintf(by, sizeof by, "%s", a->by);
    } else {
        const char *user = getenv("USER");
        if (gethostname(host, sizeof host) != 0) {
            snprintf(host, sizeof host, "?");
        }
        host[sizeof host - 1] = '\0';
        snprintf(by, sizeof by, "%s@%s (kioskctl)", user && *user ? user : "unknown", host);
    }

    doc = cJSON_CreateObject();
    t = doc ? cJSON_AddObjectToObject(doc, "text") : NULL;
    rc = CTL_EXIT_USAGE;
    if (!t || !cJSON_AddStringToObject(doc, "id", id) || !cJSON_AddStringToObject(t, "ja", text) ||
        !cJSON_AddStringToObject(doc, "level", level) ||
        !cJSON_AddStringToObject(doc, "created_by", by)) {
        goto oom;
    }
    for (size_t i = 0; i < sizeof tr / sizeof tr[0]; i++) {
        if (tr[i].value && !cJSON_AddStringToObject(t, tr[i].key, tr[i].value)) {
            goto oom;
        }
    }
    if (a->from) {
        timeutil_format_iso8601(starts, tbuf, sizeof tbuf);
        if (!cJSON_AddStringToObject(doc, "starts_at", tbuf)) {
            goto oom;
        }
    }
    if (a->until_cleared) {
        if (!cJSON_AddTrueToObject(doc, "until_cleared")) {
            goto oom;
        }
    } else {
        timeutil_format_iso8601(ends, tbuf, sizeof tbuf);
        if (!cJSON_AddStringToObject(doc, "ends_at", tbuf)) {
            goto oom;
        }
    }
    if (a->n_targets) {
        targets = cJSON_AddArrayToObject(doc, "targets");
        for (size_t i = 0; targets && i < a->n_targets; i++) {
            if (!cJSON_AddItemToArray(targets, cJSON_CreateString(a->targets[i]))) {
                targets = NULL;
            }
        }
        if (!targets) {
            goto oom;
        }
    }
    body = cJSON_PrintUnformatted(doc);
    if (!body) {
        goto oom;
    }
    rc = ctl_request(c, "POST", "/api/v1/announcements", body, &r);
    if (rc == CTL_EXIT_OK && (r.status == 200 || r.status == 201) && !a->json) {
        printf("%s / %s: %s (%s, %s)\n", r.status == 201 ? "登録しました" : "更新しました",
               r.status == 201 ? "created" : "replaced", id, level,
               a->until_cleared ? "until cleared" : a->until);
    }
    rc = ctl_finish(c, &r, a->json, rc);
    goto out;
oom:
    ctl_say("メモリ不足 / out of memory");
out:
    free(body);
    cJSON_Delete(doc);
    return rc;
}

static void ctl_print_ann(const cJSON *item)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(item, "text");
    const cJSON *active = cJSON_GetObjectItemCaseSensitive(item, "active");
    const cJSON *uc = cJSON_GetObjectItemCaseSensitive(item, "until_cleared");
    const char *id = ctl_json_str(item, "id"), *level = ctl_json_str(item, "level");
    const char *ja = cJSON_IsObject(text) ? ctl_json_str(text, "ja") : NULL;
    char b1[40], b2[40];
    printf("%-28s %-9s %s - %-16s  %s  %s\n", id ? id : "?", level ? level : "?",
           ctl_json_time(item, "starts_at", b1, sizeof b1),
           cJSON_IsTrue(uc) ? "until cleared" : ctl_json_time(item, "ends_at", b2, sizeof b2),
           cJSON_IsTrue(active) ? "表示中/active" : "非表示/inactive", ja ? ja : "");
}

static int ctl_list(const struct ctl_conn *c, const struct ctl_args *a)
{
    struct ctl_reply r;
    int rc = ctl_request(c, "GET", "/api/v1/announcements", NULL, &r);
    if (rc == CTL_EXIT_OK && r.status == 200 && !a->json) {
        cJSON *doc = cJSON_ParseWithLength(r.body, r.len);
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "announcements");
        const cJSON *shown = cJSON_GetObjectItemCaseSensitive(doc, "active");
        const cJSON *item;
        if (!cJSON_IsArray(list)) {
            ctl_say("キオスクの応答が読めません / the kiosk's answer makes no sense");
            cJSON_Delete(doc);
            ctl_reply_free(&r);
            return CTL_EXIT_SERVER;
        }
        if (cJSON_GetArraySize(list) == 0) {
            printf("直接登録されたお知らせはありません / no direct announcements\n");
        }
        cJSON_ArrayForEach(item, list) ctl_print_ann(item);
        if (cJSON_IsArray(shown)) {
            printf("表示中のお知らせ（フィードを含む） / shown now, feed included: %d\n",
                   cJSON_GetArraySize(shown));
            cJSON_ArrayForEach(item, shown) ctl_print_ann(item);
        }
        cJSON_Delete(doc);
    }
    return ctl_finish(c, &r, a->json, rc);
}

static int ctl_clear(const struct ctl_conn *c, const struct ctl_args *a)
{
    char path[64 + ANN_ID_MAX];
    struct ctl_reply r;
    int rc;
    if (a->n_pos != 1) {
        return ctl_usage_error("削除する ID を1つ指定してください / give one ID to clear");
    }
    if (!ann_id_valid(a->pos[0])) {
        return ctl_usage_error("ID は英数字と . _ - で 128 文字まで / an ID is 1-128 of "
                               "A-Z a-z 0-9 . _ -, not %s",
                               a->pos[0]);
    }
    snprintf(path, sizeof path, "/api/v1/announcements/%s", a->pos[0]);
    rc = ctl_request(c, "DELETE", path, NULL, &r);
    if (rc == CTL_EXIT_OK && r.status >= 200 && r.status < 300) {
        printf("削除しました / cleared: %s\n", a->pos[0]);
    }
    return ctl_finish(c, &r, false, rc);
}

static void ctl_print_flat(const char *prefix, const cJSON *v)
{
    char name[160];
    const cJSON *child;
    if (cJSON_IsObject(v)) {
        cJSON_ArrayForEach(child, v)
        {
            snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", child->string);
            ctl_print_flat(name, child);
        }
        return;
    }
    printf("%-28s ", prefix);
    if (cJSON_IsArray(v)) {
        bool first = true;
        cJSON_ArrayForEach(child, v)
        {
            printf("%s%s", first ? "" : ", ", cJSON_IsString(child) ? child->valuestring : "?");
            first = false;
        }
        printf("\n");
    } else if (cJSON_IsString(v)) {
        printf("%s\n", v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        printf("%.0f\n", v->valuedouble);
    } else if (cJSON_IsBool(v)) {
        printf("%s\n", cJSON_IsTrue(v) ? "true" : "false");
    } else {
        printf("-\n");
    }
}

static int ctl_status(const struct ctl_conn *c, const struct ctl_args *a)
{
    struct ctl_reply r;
    int rc = ctl_request(c, "GET", "/api/v1/status", NULL, &r);
    if (rc == CTL_EXIT_OK && r.status == 200 && !a->json) {
        cJSON *doc = cJSON_ParseWithLength(r.body, r.len);
        if (!cJSON_IsObject(doc)) {
            ctl_say("キオスクの応答が読めません / the kiosk's answer makes no sense");
            cJSON_Delete(doc);
            ctl_reply_free(&r);
            return CTL_EXIT_SERVER;
        }
        ctl_print_flat("", doc);
        cJSON_Delete(doc);
    }
    return ctl_finish(c, &r, a->json, rc);
}

/* ---- main ------------------------------------------------------------------------- */

static const char *ctl_pick(const char *flag, const char *env_name, const char *file,
                            const char *fallback)
{
    const char *env = env_name ? getenv(env_name) : NULL;
    if (flag && *flag) {
        return flag;
    }
    if (env && *env) {
        return env;
    }
    if (file && *file) {
        return file;
    }
    return fallback;
}

static int ctl_remote(const struct ctl_args *a, const struct ctl_file *f)
{
    struct ctl_conn c;
    char *token = NULL, *end;
    const char *timeout = ctl_pick(a->timeout, NULL, f->timeout, "30");
    const char *zone = ctl_pick(NULL, NULL, f->timezone, CTL_DEFAULT_ZONE);
    int rc;

    memset(&c, 0, sizeof c);
    c.url = ctl_pick(a->url, "KIOSK_URL", f->url, CTL_DEFAULT_URL);
    c.cacert = ctl_pick(a->cacert, NULL, f->cacert, NULL);
    c.timeout_s = strtol(timeout, &end, 10);
    if (*end || c.timeout_s <= 0 || c.timeout_s > 3600) {
        return ctl_usage_error("--timeout は 1〜3600 秒 / --timeout must be 1-3600 seconds, "
                               "not %s",
                               timeout);
    }
    if (strncmp(c.url, "http://", 7) != 0 && strncmp(c.url, "https://", 8) != 0) {
        return ctl_usage_error("URL は http:// か https:// で始めてください / the URL must "
                               "start with http:// or https://: %s",
                               c.url);
    }
    if (timeutil_set_zone(zone) < 0) {
        return ctl_usage_error("タイムゾーンが不明です / unknown timezone %s", zone);
    }
    rc = ctl_read_token(
        ctl_pick(a->token_file, "KIOSK_TOKEN_FILE", f->token_file, CTL_DEFAULT_TOKEN_FILE), &token);
    if (rc != CTL_EXIT_OK) {
        return rc;
    }
    c.token = token;
    switch (a->cmd) {
    case CMD_ANNOUNCE:
        rc = ctl_announce(&c, a);
        break;
    case CMD_LIST:
        rc = ctl_list(&c, a);
        break;
    case CMD_CLEAR:
        rc = ctl_clear(&c, a);
        break;
    case CMD_STATS: {
        const struct ctl_stats_args sa = {a->fiscal_year, a->from, a->to, a->csv, a->json};
        rc = a->n_pos || (a->csv && a->json)
                 ? ctl_usage_error("stats は引数を取らず、--csv か --json の一方 / stats takes "
                                   "no arguments, and --csv or --json, not both")
                 : ctl_stats(&c, &sa);
        break;
    }
    default:
        rc = a->n_pos ? ctl_usage_error("status は引数を取りません / status takes no "
                                        "arguments")
                      : ctl_status(&c, a);
        break;
    }
    sodium_memzero(token, strlen(token));
    free(token);
    return rc;
}

int main(int argc, char **argv)
{
    struct ctl_args a;
    struct ctl_file f;
    int rc;

    memset(&f, 0, sizeof f);
    rc = ctl_parse_args(argc, argv, &a);
    if (rc != CTL_EXIT_OK) {
        return rc;
    }
    if (a.help) {
        fputs(ctl_usage, stdout);
        return CTL_EXIT_OK;
    }
    if (sodium_init() < 0) {
        ctl_say("libsodium を初期化できません / cannot initialise libsodium");
        return CTL_EXIT_USAGE;
    }
    switch (a.cmd) {
    case CMD_KEYGEN:
        if (a.n_pos) {
            return ctl_usage_error("keygen は --out FILE を使います / keygen takes --out FILE, "
                                   "not %s",
                                   a.pos[0]);
        }
        return ctl_keygen(a.out ? a.out : CTL_DEFAULT_KEY);
    case CMD_SIGN:
        if (a.n_pos != 1 || !a.key) {
            return ctl_usage_error("使い方 / usage: kioskctl sign FILE --key SECRETFILE");
        }
        return ctl_sign(a.pos[0], a.key);
    default:
        break;
    }
    rc = ctl_file_load(a.config ? a.config : CTL_DEFAULT_CONFIG, a.config, &f);
    if (rc == CTL_EXIT_OK) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            ctl_say("libcurl を初期化できません / cannot initialise libcurl");
            rc = CTL_EXIT_UNREACHABLE;
        } else {
            rc = ctl_remote(&a, &f);
            curl_global_cleanup();
        }
    }
    ctl_file_free(&f);
    return rc;
}
