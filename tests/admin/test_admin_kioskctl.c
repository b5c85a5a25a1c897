/* test_admin_kioskctl: the built kioskctl binary against the admin API served in-process.
 *
 * The admin runs on its own libmicrohttpd thread inside this test; kioskctl runs as a child
 * process with a pinned KIOSKCTL_NOW, so "--until 17:30" means the same moment on any day.
 * The checks are the ones a script relies on: exit codes, the id printed, and a signature
 * that libsodium (and the kiosk's own sigcheck) accepts. The binary is found next to the
 * test's build directory (../../kioskctl from tests/admin/) or through $KIOSKCTL. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "admin/admin.h"
#include "admin/store.h"
#include "crypto/sigcheck.h"
#include "adminenv.h"
#include "testutil.h"
#include "util/clock.h"
#include "util/fsio.h"

#define TOKEN "kioskctl-test-token-0123456789"
/* 2026-05-28 10:00 in Tokyo (01:00Z): 17:30 today is still ahead. */
#define T0 1779930000LL
#define T0_STR "1779930000"

static char g_ctl[PATH_MAX + 32];
static struct adminenv g_env; /* the admin, its temp dir and token file */
static char g_url[64];

struct run {
    int code;
    char out[16384];
    char err[16384];
};

static int find_kioskctl(void)
{
    const char *env = getenv("KIOSKCTL");
    char self[PATH_MAX];
    ssize_t n;
    if (env && *env) {
        snprintf(g_ctl, sizeof g_ctl, "%s", env);
        return access(g_ctl, X_OK);
    }
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        return -1;
    }
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(g_ctl, sizeof g_ctl, "%s/../../kioskctl", self);
    if (access(g_ctl, X_OK) == 0) {
        return 0;
    }
    snprintf(g_ctl, sizeof g_ctl, "%s/kioskctl", self);
    return access(g_ctl, X_OK);
}

static void slurp(int fd, char *buf, size_t len)
{
    size_t got = 0;
    ssize_t n;
    while ((n = read(fd, buf + got, len - 1 - got)) > 0 && got + (size_t)n < len - 1) {
        got += (size_t)n;
    }
    if (n > 0) {
        got += (size_t)n;
    }
    buf[got < len ? got : len - 1] = '\0';
}

/* Runs kioskctl with `argv` (NULL-terminated, without the program) and extra environment
 * `env` ("NAME=value", NULL-terminated; may be NULL). Stdout and stderr go to temp files so
 * a chatty child can never block on a full pipe. */
static void run_ctl(struct run *r, const char *const *args, const char *const *env)
{
    char outp[PATH_MAX], errp[PATH_MAX];
    const char *argv[32];
    size_t n = 0;
    pid_t pid;
    int status = 0, fo, fe;

    memset(r, 0, sizeof *r);
    r->code = -1;
    snprintf(outp, sizeof outp, "%s/ctl.out", g_env.dir);
    snprintf(errp, sizeof errp, "%s/ctl.err", g_env.dir);
    argv[n++] = g_ctl;
    for (size_t i = 0; args[i] && n < 31; i++) {
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        return;
    }
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0) {
            _exit(126);
        }
        dup2(o, 1);
        dup2(e, 2);
        unsetenv("KIOSK_URL");
        unsetenv("KIOSK_TOKEN_FILE");
        setenv("KIOSKCTL_NOW", T0_STR, 1);
        for (size_t i = 0; env && env[i]; i++) {
            putenv((char *)env[i]);
        }
        execv(g_ctl, (char *const *)argv);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
        r->code = WEXITSTATUS(status);
    }
    fo = open(outp, O_RDONLY);
    fe = open(errp, O_RDONLY);
    if (fo >= 0) {
        slurp(fo, r->out, sizeof r->out);
        close(fo);
    }
    if (fe >= 0) {
        slurp(fe, r->err, sizeof r->err);
        close(fe);
    }
    if (getenv("TEST_VERBOSE")) {
        printf("  exit %d\n  out: %s  err: %s", r->code, r->out, r->err);
    }
}

static size_t direct_count(void)
{
    struct ann_list *l = admin_snapshot_direct(g_env.admin);
    size_t n = l ? ann_list_count(l) : (size_t)-1;
    ann_list_free(l);
    return n;
}

/* ---- tests ------------------------------------------------------------------------ */

static void help_lists_the_exit_codes(void)
{
    struct run r;
    run_ctl(&r, (const char *const[]){"--help", NULL}, NULL);
    CHECK(r.code == 0);
    CHECK(strstr(r.out, "Exit codes") && strstr(r.out, "announce") &&
          strstr(r.out, "--until-cleared") && strstr(r.out, "keygen"));
}

static void usage_errors_exit_1(void)
{
    struct run r;
    run_ctl(&r, (const char *const[]){NULL}, NULL);
    CHECK(r.code == 1);
    run_ctl(&r, (const char *const[]){"frobnicate", NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "frobnicate"));
    run_ctl(&r, (const char *const[]){"list", "--level", "normal", NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "--level"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "--until"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until-cleared", "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "emergency"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--level", "urgent", "--until", "17:30", "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "urgent"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--id", "../x", "--until", "17:30", "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "--id"));
    run_ctl(&r, (const char *const[]){"sign", "file", NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "--key"));
    CHECK(direct_count() == 0);
}

static void an_until_already_past_is_refused_locally(void)
{
    struct run r;
    /* 09:00 Tokyo has passed at T0 (10:00 Tokyo). */
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "09:00", "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "already past"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "25:99", "本文", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "cannot read --until"));
    CHECK(direct_count() == 0);
}

static void announce_list_clear_and_status_work(void)
{
    struct run r;
    struct ann_list *l;
    const struct feed_announcement *a;

    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--level", "important", "--until", "17:30", "--id", "closing",
                                  "--en", "Closing at 17:30 today", "本日は17時30分で閉館します",
                                  NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "closing") && strstr(r.out, "created"));
    l = admin_snapshot_direct(g_env.admin);
    a = l ? ann_list_find(l, "closing") : NULL;
    CHECK(a && a->level == ANN_LEVEL_IMPORTANT);
    CHECK(a && a->ends_at == T0 + 7 * 3600 + 30 * 60); /* 17:30 Tokyo that day */
    CHECK(a && a->starts_at == T0);
    CHECK(a && strcmp(a->text.ja, "本日は17時30分で閉館します") == 0);
    CHECK(a && a->text.en && strcmp(a->text.en, "Closing at 17:30 today") == 0);
    CHECK(a && a->created_by && strstr(a->created_by, "kioskctl"));
    ann_list_free(l);

    /* Same id again: replaced, exit 0. Full ISO and --from work too. */
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--level=important", "--from", "2026-05-28 12:00", "--until",
                                  "2026-05-28T18:00:00+09:00", "--id=closing",
                                  "本日は18時で閉館します", NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "replaced"));
    l = admin_snapshot_direct(g_env.admin);
    a = l ? ann_list_find(l, "closing") : NULL;
    CHECK(a && a->starts_at == T0 + 2 * 3600 && a->ends_at == T0 + 8 * 3600);
    ann_list_free(l);

    /* An emergency until cleared, with a generated id that the output names. */
    run_ctl(&r,
            (const char *const[]){"--url", g_url, "--token-file", g_env.token_file, "announce",
                                  "--level", "emergency", "--until-cleared",
                                  "火災が発生しました。係員の指示に従ってください", NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "ctl-20260528-1000-"));
    CHECK(direct_count() == 2);

    run_ctl(&r,
            (const char *const[]){"list", "--url", g_url, "--token-file", g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "closing") && strstr(r.out, "emergency") &&
          strstr(r.out, "until cleared"));
    run_ctl(&r,
            (const char *const[]){"list", "--json", "--url", g_url, "--token-file",
                                  g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "\"announcements\""));

    run_ctl(&r,
            (const char *const[]){"status", "--url", g_url, "--token-file", g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "version") && strstr(r.out, "state_dir_free_bytes") &&
          strstr(r.out, "counts.announcements_direct"));

    run_ctl(&r,
            (const char *const[]){"clear", "closing", "--url", g_url, "--token-file",
                                  g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "closing"));
    CHECK(direct_count() == 1);
    run_ctl(&r,
            (const char *const[]){"clear", "closing", "--url", g_url, "--token-file",
                                  g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 4 && strstr(r.err, "closing"));
    run_ctl(&r,
            (const char *const[]){"clear", "..", "--url", g_url, "--token-file", g_env.token_file,
                                  NULL},
            NULL);
    CHECK(r.code == 1);
}

static void translations_are_sent_and_a_blank_one_is_refused_locally(void)
{
    struct run r;
    struct ann_list *l;
    const struct feed_announcement *a;
    size_t before = direct_count();

    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "17:30", "--id", "tr", "--zh-Hans", "今天17:30闭馆",
                                  "--ko=오늘은 17시 30분에 닫습니다", "--ja-easy",
                                  "きょうは 5時30分に {閉|し}まります",
                                  "本日は17時30分で閉館します", NULL},
            NULL);
    CHECK(r.code == 0 && strstr(r.out, "created"));
    l = admin_snapshot_direct(g_env.admin);
    a = l ? ann_list_find(l, "tr") : NULL;
    CHECK(a && !a->text.en);
    CHECK(a && a->text.zh_hans && strcmp(a->text.zh_hans, "今天17:30闭馆") == 0);
    CHECK(a && a->text.ko && strcmp(a->text.ko, "오늘은 17시 30분에 닫습니다") == 0);
    CHECK(a && a->text.ja_easy &&
          strcmp(a->text.ja_easy, "きょうは 5時30分に {閉|し}まります") == 0);
    ann_list_free(l);
    CHECK(direct_count() == before + 1);

    /* nothing visible, or not UTF-8: said before anything is sent, naming the option */
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "17:30", "--id", "tr2", "--ko", "\xE3\x80\x80", "本文",
                                  NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "--ko is empty"));
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "17:30", "--id", "tr2", "--zh-Hans", "\xff", "本文",
                                  NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "--zh-Hans is not UTF-8"));
    CHECK(direct_count() == before + 1);
    run_ctl(&r,
            (const char *const[]){"clear", "tr", "--url", g_url, "--token-file", g_env.token_file,
                                  NULL},
            NULL);
    CHECK(r.code == 0 && direct_count() == before);
}

static void settings_come_from_env_and_config_file(void)
{
    struct run r;
    char conf[PATH_MAX], text[PATH_MAX + 128], env_url[128], env_tok[PATH_MAX + 32];
    snprintf(env_url, sizeof env_url, "KIOSK_URL=%s", g_url);
    snprintf(env_tok, sizeof env_tok, "KIOSK_TOKEN_FILE=%s", g_env.token_file);
    run_ctl(&r, (const char *const[]){"status", NULL},
            (const char *const[]){env_url, env_tok, NULL});
    CHECK(r.code == 0);

    snprintf(conf, sizeof conf, "%s/kioskctl.conf", g_env.dir);
    snprintf(text, sizeof text, "# staff laptop\nurl = %s\ntoken_file=%s\ntimezone = Asia/Tokyo\n",
             g_url, g_env.token_file);
    CHECK(testutil_write_file(conf, text, strlen(text)) == 0);
    run_ctl(&r, (const char *const[]){"status", "--config", conf, NULL}, NULL);
    CHECK(r.code == 0);

    /* Flags win over the file. */
    run_ctl(&r,
            (const char *const[]){"status", "--config", conf, "--url", "http://127.0.0.1:1", NULL},
            NULL);
    CHECK(r.code == 2);

    CHECK(testutil_write_file(conf, "colour = blue\n", 14) == 0);
    run_ctl(&r, (const char *const[]){"status", "--config", conf, NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "colour"));
    run_ctl(&r, (const char *const[]){"status", "--config", "/nonexistent.conf", NULL}, NULL);
    CHECK(r.code == 1);
}

static void a_wrong_token_exits_3_and_changes_nothing(void)
{
    struct run r;
    char bad[PATH_MAX];
    size_t before = direct_count();
    snprintf(bad, sizeof bad, "%s/bad-token", g_env.dir);
    CHECK(testutil_write_file(bad, "not-the-token-000000\n", 21) == 0);
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", bad, "--until",
                                  "17:30", "本文", NULL},
            NULL);
    CHECK(r.code == 3 && strstr(r.err, "authentication failed"));
    run_ctl(&r, (const char *const[]){"list", "--url", g_url, "--token-file", bad, NULL}, NULL);
    CHECK(r.code == 3);
    run_ctl(&r, (const char *const[]){"list", "--url", g_url, "--token-file", "/nonexistent", NULL},
            NULL);
    CHECK(r.code == 1 && strstr(r.err, "/nonexistent"));
    CHECK(direct_count() == before);
}

static void an_unreachable_kiosk_exits_2(void)
{
    struct run r;
    char url[64];
    struct sockaddr_in sin;
    socklen_t len = sizeof sin;
    /* A port that was free a moment ago and that nobody listens on. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
          getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
    close(fd);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(sin.sin_port));
    run_ctl(&r,
            (const char *const[]){"status", "--url", url, "--token-file", g_env.token_file, NULL},
            NULL);
    CHECK(r.code == 2 && strstr(r.err, "cannot reach the kiosk"));
}

static void a_rejected_request_exits_4(void)
{
    struct run r;
    char big[8000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    /* The kiosk caps bodies at 4096 bytes in this test: 413 is a rejected request. */
    run_ctl(&r,
            (const char *const[]){"announce", "--url", g_url, "--token-file", g_env.token_file,
                                  "--until", "17:30", big, NULL},
            NULL);
    CHECK(r.code == 4 && strstr(r.err, "413"));
}

static void keygen_and_sign_make_a_signature_libsodium_verifies(void)
{
    struct run r;
    char key[PATH_MAX], doc[PATH_MAX], sig[PATH_MAX], pub[128];
    char *sig_text = NULL, *doc_text = NULL;
    size_t sig_len = 0, doc_len = 0, bin_len = 0;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sigbin[crypto_sign_BYTES];
    struct stat st;
    static const char body[] = "{\"version\": 1, \"announcements\": []}\n";

    snprintf(key, sizeof key, "%s/announce.key", g_env.dir);
    snprintf(doc, sizeof doc, "%s/announcements.json", g_env.dir);
    snprintf(sig, sizeof sig, "%s/announcements.json.sig", g_env.dir);
    run_ctl(&r, (const char *const[]){"keygen", "--out", key, NULL}, NULL);
    CHECK(r.code == 0);
    CHECK(stat(key, &st) == 0 && (st.st_mode & 0777) == 0600);
    r.out[strcspn(r.out, "\n")] = '\0';
    snprintf(pub, sizeof pub, "%.100s", r.out);
    CHECK(strlen(pub) == 44);
    CHECK(sodium_base642bin(pk, sizeof pk, pub, strlen(pub), NULL, &bin_len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) == 0 &&
          bin_len == sizeof pk);

    /* A second keygen never overwrites the key the kiosks trust. */
    run_ctl(&r, (const char *const[]){"keygen", "--out", key, NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "already exists"));

    CHECK(testutil_write_file(doc, body, strlen(body)) == 0);
    run_ctl(&r, (const char *const[]){"sign", doc, "--key", key, NULL}, NULL);
    CHECK(r.code == 0);
    CHECK(fsio_read_file(sig, 4096, &sig_text, &sig_len) == 0);
    CHECK(sig_len == 89 && sig_text && sig_text[88] == '\n');
    CHECK(fsio_read_file(doc, 4096, &doc_text, &doc_len) == 0);
    CHECK(sig_text &&
          sodium_base642bin(sigbin, sizeof sigbin, sig_text, sig_len, "\n", &bin_len, NULL,
                            sodium_base64_VARIANT_ORIGINAL) == 0 &&
          bin_len == sizeof sigbin);
    CHECK(doc_text &&
          crypto_sign_verify_detached(sigbin, (const unsigned char *)doc_text, doc_len, pk) == 0);
    /* The kiosk's own check agrees, and a changed byte fails it. */
    const char *keys[] = {pub};
    char err[200];
    CHECK(sig_text && doc_text &&
          sigcheck_verify(doc_text, doc_len, sig_text, sig_len, keys, 1, err, sizeof err) == 0);
    if (doc_text) {
        doc_text[3] ^= 1;
        CHECK(sigcheck_verify(doc_text, doc_len, sig_text, sig_len, keys, 1, err, sizeof err) ==
              -EBADMSG);
    }
    free(sig_text);
    free(doc_text);

    run_ctl(&r, (const char *const[]){"sign", "/nonexistent.json", "--key", key, NULL}, NULL);
    CHECK(r.code == 1);
    run_ctl(&r, (const char *const[]){"sign", doc, "--key", doc, NULL}, NULL);
    CHECK(r.code == 1 && strstr(r.err, "not a secret key"));
}

int main(void)
{
    const struct adminenv_options o = {TOKEN, T0, 4096, false};
    int rc;

    if (find_kioskctl() != 0) {
        printf("kioskctl not found next to the tests (build the kioskctl target first)\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    if (sodium_init() < 0) {
        return 1;
    }
    if (adminenv_init(&g_env, &o) < 0) {
        printf("0 passed, 1 failed\n");
        adminenv_done(&g_env);
        return 1;
    }
    snprintf(g_url, sizeof g_url, "http://127.0.0.1:%d", g_env.port);

    RUN(help_lists_the_exit_codes);
    RUN(usage_errors_exit_1);
    RUN(an_until_already_past_is_refused_locally);
    RUN(announce_list_clear_and_status_work);
    RUN(translations_are_sent_and_a_blank_one_is_refused_locally);
    RUN(settings_come_from_env_and_config_file);
    RUN(a_rejected_request_exits_4);
    RUN(an_unreachable_kiosk_exits_2);
    RUN(keygen_and_sign_make_a_signature_libsodium_verifies);
    /* Last: it leaves this address cooling off for a minute. */
    RUN(a_wrong_token_exits_3_and_changes_nothing);

    adminenv_done(&g_env);
    rc = testutil_finish();
    return rc;
}
