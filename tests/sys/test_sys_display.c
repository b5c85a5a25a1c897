/* test_sys_display: the DRM card with a connected connector, from a fake sysfs tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sys/display.h"
#include "testutil.h"

/* Makes <root>/<entry>/status containing `state` (or only the directory when NULL). */
static void add_entry(const char *root, const char *entry, const char *state)
{
    char path[1024];

    snprintf(path, sizeof path, "%s/%s", root, entry);
    CHECK(mkdir(path, 0755) == 0);
    if (state) {
        snprintf(path, sizeof path, "%s/%s/status", root, entry);
        CHECK(testutil_write_file(path, state, strlen(state)) == 0);
    }
}

/* A Raspberry Pi 4: card0 is v3d (no connectors), card1 is vc4 with two HDMI ports. */
static void picks_the_card_with_the_connected_hdmi_port(void)
{
    char *root = testutil_tempdir();
    char name[64] = "";

    CHECK(root);
    add_entry(root, "card0", NULL);
    add_entry(root, "card1", NULL);
    add_entry(root, "renderD128", NULL);
    add_entry(root, "card1-HDMI-A-1", "disconnected\n");
    add_entry(root, "card1-HDMI-A-2", "connected\n");
    add_entry(root, "card1-Writeback-1", "unknown\n");
    CHECK(sys_display_find(root, name, sizeof name) == 1);
    CHECK(strcmp(name, "HDMI-A-2") == 0);
    testutil_rmtree(root);
    free(root);
}

static void connected_beats_unknown_and_the_lowest_card_wins(void)
{
    char *root = testutil_tempdir();
    char name[64] = "";

    CHECK(root);
    add_entry(root, "card0-DSI-1", "unknown\n");
    add_entry(root, "card3-HDMI-A-1", "connected\n");
    add_entry(root, "card2-HDMI-A-1", "connected\n");
    CHECK(sys_display_find(root, name, sizeof name) == 2);
    CHECK(strcmp(name, "HDMI-A-1") == 0);
    testutil_rmtree(root);
    free(root);
}

static void an_unknown_connector_is_used_when_none_says_connected(void)
{
    char *root = testutil_tempdir();

    CHECK(root);
    add_entry(root, "card0-HDMI-A-1", "disconnected\n");
    add_entry(root, "card1-DSI-1", "unknown\n");
    CHECK(sys_display_find(root, NULL, 0) == 1);
    testutil_rmtree(root);
    free(root);
}

static void no_connector_is_enodev_and_a_missing_tree_is_enoent(void)
{
    char *root = testutil_tempdir();
    char missing[1024];

    CHECK(root);
    add_entry(root, "card0", NULL);
    add_entry(root, "card0-HDMI-A-1", "disconnected\n");
    add_entry(root, "cardX-HDMI-A-1", "connected\n"); /* not a card name */
    add_entry(root, "card1-", "connected\n");
    CHECK(sys_display_find(root, NULL, 0) == -ENODEV);
    snprintf(missing, sizeof missing, "%s/nope", root);
    CHECK(sys_display_find(missing, NULL, 0) == -ENOENT);
    testutil_rmtree(root);
    free(root);
}

static void select_exports_the_index_unless_the_operator_set_one(void)
{
    char *root = testutil_tempdir();

    CHECK(root);
    add_entry(root, "card1-HDMI-A-1", "connected\n");
    unsetenv(SYS_DISPLAY_HINT);
    CHECK(sys_display_select(root) == 1);
    CHECK(getenv(SYS_DISPLAY_HINT) && strcmp(getenv(SYS_DISPLAY_HINT), "1") == 0);
    setenv(SYS_DISPLAY_HINT, "0", 1);
    CHECK(sys_display_select(root) == 0);
    CHECK(strcmp(getenv(SYS_DISPLAY_HINT), "0") == 0);
    unsetenv(SYS_DISPLAY_HINT);
    testutil_rmtree(root);
    free(root);
}

int main(void)
{
    RUN(picks_the_card_with_the_connected_hdmi_port);
    RUN(connected_beats_unknown_and_the_lowest_card_wins);
    RUN(an_unknown_connector_is_used_when_none_says_connected);
    RUN(no_connector_is_enodev_and_a_missing_tree_is_enoent);
    RUN(select_exports_the_index_unless_the_operator_set_one);
    TEST_MAIN_END();
}
