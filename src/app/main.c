/* main: the kiosk program. Everything lives in app/ so tests and the benchmark drive the
 * same code; this file only hands over the command line. */
#include "app/app.h"

int main(int argc, char **argv)
{
    return app_main(argc, argv);
}
