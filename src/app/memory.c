/* memory: how the kiosk asks glibc's allocator to behave over months of uptime.
 *
 * glibc serves large blocks with mmap, but by default it raises that threshold to the size
 * of any mmapped block freed (up to 32 MiB). The kiosk frees large blocks all the time:
 * line textures leaving the text cache (hundreds of kilobytes at 1080p), the 8 MiB frame a
 * staff screenshot reads back, feed documents. After the first such free, every texture
 * up to that size would come from the heap, where freed holes between live blocks cannot
 * go back to the system: the soak test (src/sim/soak.c) saw resident memory climb in steps
 * over a simulated week. A fixed threshold keeps every block of 128 KiB and more in its own
 * mapping, returned whole when freed, and fixing it also stops the trim threshold from
 * drifting, so the heap's free top is given back too. Blocks below the threshold still
 * leave page-sized holes in the heaps of the main thread and of the threads that parse
 * feeds and serve staff; once an hour malloc_trim() returns those free pages, so resident
 * memory follows what is live rather than the worst hour. Without glibc (or under a
 * sanitizer's allocator) this does nothing. */
#include "app/app.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "util/log.h"

#define APP_MMAP_THRESHOLD (128 * 1024)
#define APP_TRIM_EVERY_S 3600

void app_memory_tune(void)
{
#if defined(__GLIBC__)
    if (mallopt(M_MMAP_THRESHOLD, APP_MMAP_THRESHOLD) != 1) {
        LOG_WARN("app", "mallopt(M_MMAP_THRESHOLD) refused: large blocks may fragment the heap");
    }
#endif
}

void app_memory_tick(int64_t now)
{
#if defined(__GLIBC__)
    static int64_t last_slot = -1; /* main thread only */
    int64_t slot = now / APP_TRIM_EVERY_S;

    if (slot == last_slot) {
        return;
    }
    last_slot = slot;
    malloc_trim(0);
#else
    (void)now;
#endif
}
