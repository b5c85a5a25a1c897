/* test_sys_health: status figures from the real /proc and from a fake board tree. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sys/health.h"
#include "testutil.h"

static void reads_memory_fds_and_free_space_of_this_process(void)
{
    struct sys_health_paths paths;
    struct sys_health h;
    char *dir = testutil_tempdir();
    int before, fd;

    CHECK(dir);
    sys_health_default_paths(&paths, dir);
    paths.thermal_temp = NULL; /* the build machine may have its own */
    paths.throttled_file = NULL;
    paths.vcgencmd = NULL;
    CHECK(sys_health_read(&paths, &h) == 3);
    CHECK(h.rss_bytes > 0);
    CHECK(h.open_fds >= 3);
    CHECK(h.state_free_bytes > 0);
    CHECK(!h.has_soc_temp && !h.has_throttled);
    before = h.open_fds;
    fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(sys_health_read(&paths, &h) == 3);
    CHECK(h.open_fds == before + 1);
    close(fd);
    testutil_rmtree(dir);
    free(dir);
}

static void board_figures_come_from_the_injected_files(void)
{
    char *dir = testutil_tempdir();
    char temp[1024], thr[1024];
    struct sys_health_paths paths = {0};
    struct sys_health h;

    CHECK(dir);
    snprintf(temp, sizeof temp, "%s/temp", dir);
    snprintf(thr, sizeof thr, "%s/get_throttled", dir);
    CHECK(testutil_write_file(temp, "48312\n", 6) == 0);
    CHECK(testutil_write_file(thr, "50005\n", 6) == 0);
    paths.thermal_temp = temp;
    paths.throttled_file = thr;
    CHECK(sys_health_read(&paths, &h) == 2);
    CHECK(h.rss_bytes == -1 && h.open_fds == -1 && h.state_free_bytes == -1);
    CHECK(h.has_soc_temp && h.soc_temp_millic == 48312);
    CHECK(h.has_throttled && h.throttled == 0x50005u);
    CHECK(h.throttled & SYS_THROTTLE_UNDERVOLT_NOW);
    CHECK(h.throttled & SYS_THROTTLE_UNDERVOLT_SEEN);
    testutil_rmtree(dir);
    free(dir);
}

static void absent_or_garbled_board_files_are_left_out(void)
{
    char *dir = testutil_tempdir();
    char temp[1024], thr[1024];
    struct sys_health_paths paths = {0};
    struct sys_health h;

    CHECK(dir);
    snprintf(temp, sizeof temp, "%s/temp", dir);
    snprintf(thr, sizeof thr, "%s/get_throttled", dir);
    CHECK(testutil_write_file(temp, "hot\n", 4) == 0);
    CHECK(testutil_write_file(thr, "0xZZ\n", 5) == 0);
    paths.thermal_temp = temp;
    paths.throttled_file = thr;
    paths.vcgencmd = "/nonexistent/vcgencmd";
    CHECK(sys_health_read(&paths, &h) == 0);
    CHECK(!h.has_soc_temp && !h.has_throttled);
    paths.thermal_temp = "/nonexistent/temp";
    CHECK(sys_health_read(&paths, &h) == 0);
    testutil_rmtree(dir);
    free(dir);
}

static void throttled_falls_back_to_vcgencmd(void)
{
    char *dir = testutil_tempdir();
    char fake[1024];
    const char *script = "#!/bin/sh\n[ \"$1\" = get_throttled ] && echo throttled=0x50000\n";
    struct sys_health_paths paths = {0};
    struct sys_health h;

    CHECK(dir);
    snprintf(fake, sizeof fake, "%s/vcgencmd", dir);
    CHECK(testutil_write_file(fake, script, strlen(script)) == 0);
    CHECK(chmod(fake, 0755) == 0);
    paths.throttled_file = "/nonexistent/get_throttled";
    paths.vcgencmd = fake;
    CHECK(sys_health_read(&paths, &h) == 1);
    CHECK(h.has_throttled && h.throttled == 0x50000u);
    testutil_rmtree(dir);
    free(dir);
}

static void a_hanging_vcgencmd_is_killed(void)
{
    char *dir = testutil_tempdir();
    char fake[1024];
    const char *script = "#!/bin/sh\nexec sleep 30\n";
    struct sys_health_paths paths = {0};
    struct sys_health h;

    CHECK(dir);
    snprintf(fake, sizeof fake, "%s/vcgencmd", dir);
    CHECK(testutil_write_file(fake, script, strlen(script)) == 0);
    CHECK(chmod(fake, 0755) == 0);
    paths.vcgencmd = fake;
    CHECK(sys_health_read(&paths, &h) == 0);
    CHECK(!h.has_throttled);
    testutil_rmtree(dir);
    free(dir);
}

static void json_holds_the_known_figures_only(void)
{
    struct sys_health h = {.rss_bytes = 1048576,
                           .open_fds = 12,
                           .state_free_bytes = -1,
                           .has_soc_temp = true,
                           .soc_temp_millic = 48312,
                           .has_throttled = true,
                           .throttled = 0x50005u};
    cJSON *obj = cJSON_CreateObject();
    cJSON *v;

    CHECK(obj);
    CHECK(sys_health_to_json(&h, obj) == 0);
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "rss_bytes")) == 1048576);
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "open_fds")) == 12);
    CHECK(!cJSON_GetObjectItem(obj, "state_free_bytes"));
    CHECK(cJSON_GetNumberValue(cJSON_GetObjectItem(obj, "soc_temp_c")) == 48.3);
    v = cJSON_GetObjectItem(obj, "throttled");
    CHECK(v && cJSON_IsString(v) && strcmp(v->valuestring, "0x50005") == 0);
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(obj, "under_voltage_now")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(obj, "under_voltage_seen")));
    CHECK(cJSON_IsTrue(cJSON_GetObjectItem(obj, "throttled_now")));
    cJSON_Delete(obj);
}

int main(void)
{
    RUN(reads_memory_fds_and_free_space_of_this_process);
    RUN(board_figures_come_from_the_injected_files);
    RUN(absent_or_garbled_board_files_are_left_out);
    RUN(throttled_falls_back_to_vcgencmd);
    RUN(a_hanging_vcgencmd_is_killed);
    RUN(json_holds_the_known_figures_only);
    TEST_MAIN_END();
}
