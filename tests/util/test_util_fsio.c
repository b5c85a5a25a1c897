/* Tests for util/fsio: atomic replacement, the previous copy, crash leftovers, and reads that
 * refuse what is not a regular file. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "util/fsio.h"

static char *dir;

static char *path_in(const char *name)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static bool file_is(const char *path, const char *want)
{
    char *data = NULL;
    size_t len = 0;
    if (fsio_read_file(path, 1 << 20, &data, &len) < 0) {
        return false;
    }
    bool same = len == strlen(want) && memcmp(data, want, len) == 0;
    free(data);
    return same;
}

static void write_atomic_should_replace_and_keep_the_previous_copy(void)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path_in("feed.json"));
    CHECK(fsio_write_atomic(p, "one", 3, true) == 0);
    CHECK(file_is(p, "one"));
    CHECK(fsio_write_atomic(p, "two", 3, true) == 0);
    CHECK(file_is(p, "two"));
    char prev[1100];
    snprintf(prev, sizeof prev, "%s.prev", p);
    CHECK(file_is(prev, "one"));
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 077) == 0);
}

static void a_crash_before_rename_should_leave_the_old_file_whole(void)
{
    char p[1024], tmp[1100];
    snprintf(p, sizeof p, "%s", path_in("ann.json"));
    CHECK(fsio_write_atomic(p, "old", 3, false) == 0);
    /* What a power cut between write and rename leaves behind: a stray temp file. */
    snprintf(tmp, sizeof tmp, "%s.tmp-ABCDEF", p);
    CHECK(testutil_write_file(tmp, "ne", 2) == 0);
    CHECK(file_is(p, "old"));
    CHECK(fsio_write_atomic(p, "new", 3, false) == 0);
    CHECK(file_is(p, "new"));
}

static void remove_stale_temps_should_remove_only_the_leftovers_of_that_file(void)
{
    char p[1024], name[1100];
    static const char *const leftovers[] = {"st.json.tmp-ABC123", "st.json.tmp-zzzzzz"};
    static const char *const keep[] = {"st.json", "st.json.prev", "st.json.tmp-toolong1",
                                       "other.json.tmp-ABC123", "st.json.tmp-"};
    snprintf(p, sizeof p, "%s", path_in("st.json"));
    for (size_t i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, leftovers[i]);
        CHECK(testutil_write_file(name, "x", 1) == 0);
    }
    for (size_t i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, keep[i]);
        CHECK(testutil_write_file(name, "x", 1) == 0);
    }
    CHECK(fsio_remove_stale_temps(p) == 2);
    for (size_t i = 0; i < 2; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, leftovers[i]);
        CHECK(access(name, F_OK) != 0);
    }
    for (size_t i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "%s/%s", dir, keep[i]);
        CHECK(access(name, F_OK) == 0);
    }
    CHECK(fsio_remove_stale_temps(p) == 0);
    CHECK(fsio_remove_stale_temps(path_in("no/such/dir/x.json")) == -ENOENT);
}

static void read_file_should_refuse_files_over_the_limit(void)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path_in("big"));
    char buf[5000];
    memset(buf, 'x', sizeof buf);
    CHECK(testutil_write_file(p, buf, sizeof buf) == 0);
    char *data = NULL;
    size_t len = 0;
    CHECK(fsio_read_file(p, 4999, &data, &len) == -EFBIG);
    CHECK(!data);
    CHECK(fsio_read_file(p, 5000, &data, &len) == 0);
    CHECK(len == 5000 && data && data[5000] == '\0');
    free(data);
}

static void read_file_should_report_a_missing_file(void)
{
    char *data = NULL;
    CHECK(fsio_read_file(path_in("missing"), 100, &data, NULL) == -ENOENT);
}

/* Before the fix open() waited for a writer for ever: the alarm turns that hang into a
 * failure instead of a stuck test. */
static void read_file_should_refuse_a_fifo_without_blocking(void)
{
    char p[1024];
    char *data = NULL;
    snprintf(p, sizeof p, "%s", path_in("fifo"));
    CHECK(mkfifo(p, 0600) == 0);
    alarm(20);
    CHECK(fsio_read_file(p, 100, &data, NULL) == -EINVAL);
    CHECK(!data);
    CHECK(fsio_open_regular(p) == -EINVAL);
    alarm(0);
    CHECK(strstr(fsio_strerror(-EINVAL), "not a regular file"));
}

static void read_file_should_refuse_a_device_and_a_directory(void)
{
    char *data = NULL;
    CHECK(fsio_read_file("/dev/zero", 100, &data, NULL) == -EINVAL);
    CHECK(fsio_read_file("/dev/null", 100, &data, NULL) == -EINVAL);
    CHECK(fsio_read_file(dir, 100, &data, NULL) == -EINVAL);
    CHECK(!data);
}

static void open_regular_should_give_a_descriptor_for_a_regular_file(void)
{
    char p[1024];
    char buf[8];
    snprintf(p, sizeof p, "%s", path_in("plain"));
    CHECK(testutil_write_file(p, "abc", 3) == 0);
    int fd = fsio_open_regular(p);
    CHECK(fd >= 0);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 3);
    CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    if (fd >= 0) {
        close(fd);
    }
    CHECK(fsio_open_regular(path_in("missing")) == -ENOENT);
}

static bool resolves_to(const char *path, const char *want)
{
    char out[4096];
    if (fsio_resolve(path, out, sizeof out) != 0) {
        return false;
    }
    if (strcmp(out, want) != 0) {
        fprintf(stderr, "  %s resolved to %s, not %s\n", path, out, want);
    }
    return strcmp(out, want) == 0;
}

static void resolve_should_fold_dots_and_follow_symlinks(void)
{
    char link[1024], want[4200], real[4096];
    CHECK(resolves_to("/", "/"));
    CHECK(resolves_to("//etc/", "/etc"));
    CHECK(resolves_to("/var/lib/../../etc/.", "/etc"));
    /* missing directories are folded as they will be made */
    CHECK(resolves_to("/no-such-dir-17/..", "/"));
    CHECK(resolves_to("/no-such-dir-17/a/../b", "/no-such-dir-17/b"));
    /* a symlink to /etc is /etc, and ".." after it is the parent of /etc */
    snprintf(link, sizeof link, "%s", path_in("to-etc"));
    CHECK(symlink("/etc", link) == 0);
    CHECK(resolves_to(link, "/etc"));
    snprintf(want, sizeof want, "%s/to-etc/new/..", dir);
    CHECK(resolves_to(want, "/etc"));
    CHECK(realpath(dir, real));
    snprintf(want, sizeof want, "%s/state", real);
    CHECK(resolves_to(path_in("state"), want));
}

static void system_dirs_are_refused_and_their_subdirectories_are_not(void)
{
    CHECK(fsio_is_system_dir("/"));
    CHECK(fsio_is_system_dir("/etc"));
    CHECK(fsio_is_system_dir("/usr"));
    CHECK(fsio_is_system_dir("/var"));
    CHECK(fsio_is_system_dir("/var/lib"));
    CHECK(fsio_is_system_dir("/run"));
    CHECK(fsio_is_system_dir("/proc"));
    CHECK(fsio_is_system_dir("/boot"));
    CHECK(fsio_is_system_dir("/tmp"));
    CHECK(!fsio_is_system_dir("/var/lib/kiosk"));
    CHECK(!fsio_is_system_dir("/run/kiosk"));
    CHECK(!fsio_is_system_dir("/tmp/tmp.AbC123"));
    CHECK(!fsio_is_system_dir("/etcetera"));
    CHECK(!fsio_is_system_dir("/home/kiosk/state"));
}

static void write_atomic_should_fail_cleanly_in_a_read_only_directory(void)
{
    if (geteuid() == 0) {
        return; /* root writes anywhere; the fault suite covers this with a full disk */
    }
    char ro[1024];
    snprintf(ro, sizeof ro, "%s", path_in("ro"));
    CHECK(mkdir(ro, 0500) == 0);
    char p[1100];
    snprintf(p, sizeof p, "%s/x", ro);
    CHECK(fsio_write_atomic(p, "x", 1, true) < 0);
}

static void mkdirs_should_create_nested_directories(void)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", path_in("a/b/c"));
    CHECK(fsio_mkdirs(p) == 0);
    struct stat st;
    CHECK(stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(fsio_mkdirs(p) == 0);
    CHECK(fsio_free_bytes(p) > 0);
}

int main(void)
{
    dir = testutil_tempdir();
    RUN(write_atomic_should_replace_and_keep_the_previous_copy);
    RUN(a_crash_before_rename_should_leave_the_old_file_whole);
    RUN(remove_stale_temps_should_remove_only_the_leftovers_of_that_file);
    RUN(read_file_should_refuse_files_over_the_limit);
    RUN(read_file_should_report_a_missing_file);
    RUN(read_file_should_refuse_a_fifo_without_blocking);
    RUN(read_file_should_refuse_a_device_and_a_directory);
    RUN(open_regular_should_give_a_descriptor_for_a_regular_file);
    RUN(resolve_should_fold_dots_and_follow_symlinks);
    RUN(system_dirs_are_refused_and_their_subdirectories_are_not);
    RUN(write_atomic_should_fail_cleanly_in_a_read_only_directory);
    RUN(mkdirs_should_create_nested_directories);
    testutil_rmtree(dir);
    free(dir);
    TEST_MAIN_END();
}
