#include "allocator_shim.h"

#if defined(__GLIBC__)
#include <malloc.h>
int allocator_shim_keep_large_blocks(long bytes) {
    int a = mallopt(M_MMAP_THRESHOLD, (int)bytes);
    int b = mallopt(M_TRIM_THRESHOLD, (int)bytes);
    return a == 1 && b == 1;
}
#else
int allocator_shim_keep_large_blocks(long bytes) {
    (void)bytes;
    return 0;
}
#endif
