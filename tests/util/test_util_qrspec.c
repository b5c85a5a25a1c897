/* test_util_qrspec: QR code sizes at level M and the whole-pixel size rule that the
 * screens and `kiosk --check-feed` share (agreement with libqrencode: test_qr_decode). */
#include "util/qrspec.h"
#include "testutil.h"

static void versions_hold_the_byte_capacities_of_level_m(void)
{
    CHECK(qrspec_version(0) == 1);
    CHECK(qrspec_version(14) == 1);
    CHECK(qrspec_version(15) == 2);
    CHECK(qrspec_version(122) == 7);
    CHECK(qrspec_version(123) == 8);
    CHECK(qrspec_version(251) == 11);
    CHECK(qrspec_version(2048) == 38);
    CHECK(qrspec_version(2331) == 40);
    CHECK(qrspec_version(2332) == 0);
    for (int v = 2; v <= QRSPEC_MAX_VERSION; v++) {
        CHECK(qrspec_capacity(v) > qrspec_capacity(v - 1));
    }
    CHECK(qrspec_capacity(0) == 0 && qrspec_capacity(41) == 0);
    CHECK(qrspec_width(1) == 21 && qrspec_width(40) == 177);
}

static void the_module_is_the_largest_whole_size_with_the_quiet_zone(void)
{
    /* version 7: 45 modules, 53 with the quiet zone */
    CHECK(qrspec_module_px(45, 53 * 8, 8) == 8);
    CHECK(qrspec_module_px(45, 53 * 8 - 1, 8) == 0);
    CHECK(qrspec_module_px(45, 53 * 9 + 52, 8) == 9);
    CHECK(qrspec_module_px(45, 100, 1) == 1);
    CHECK(qrspec_module_px(45, 52, 1) == 0);
    CHECK(qrspec_module_px(0, 1000, 1) == 0 && qrspec_module_px(-1, 1000, 1) == 0);
}

static void the_longest_url_that_fits_is_a_capacity(void)
{
    /* the detail screen at 1080 lines: 432 px portrait, 552 px landscape, 8 px modules */
    CHECK(qrspec_max_bytes(432, 8) == 122);
    CHECK(qrspec_max_bytes(552, 8) == 251);
    CHECK(qrspec_max_bytes(28, 1) == 0);
    CHECK(qrspec_max_bytes(29, 1) == 14);
    CHECK(qrspec_max_bytes(185 * 8, 8) == 2331);
}

int main(void)
{
    RUN(versions_hold_the_byte_capacities_of_level_m);
    RUN(the_module_is_the_largest_whole_size_with_the_quiet_zone);
    RUN(the_longest_url_that_fits_is_a_capacity);
    TEST_MAIN_END();
}
