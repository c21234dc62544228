#include "allocator_shim.h"

#include <stdlib.h>  /* defines __GLIBC__ on glibc systems */

#if defined(__GLIBC__)
#include <malloc.h>
int allocator_shim_keep_large_blocks(long bytes) {
    /* M_MMAP_THRESHOLD cannot be raised above 32 MiB, and a batch of 512 views already
       has 32 MiB activations, so mmap is switched off altogether (M_MMAP_MAX = 0): every
       block then comes from the heap, and freed blocks stay there for reuse as long as the
       free space at the top stays under the trim threshold. */
    int a = mallopt(M_MMAP_MAX, 0);
    int b = mallopt(M_TRIM_THRESHOLD, (int)bytes);
    return a == 1 && b == 1;
}
#else
int allocator_shim_keep_large_blocks(long bytes) {
    (void)bytes;
    return 0;
}
#endif
