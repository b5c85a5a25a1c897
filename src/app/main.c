/* main: the kiosk program. Placeholder until app/ wires the layers. */
#include <stdio.h>

int main(void)
{
    fprintf(stderr, "kiosk: not wired yet\n");
    return 1;
}
