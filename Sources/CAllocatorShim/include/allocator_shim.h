#ifndef ALLOCATOR_SHIM_H
#define ALLOCATOR_SHIM_H

/// Keeps large freed blocks in the heap instead of returning them to the kernel
/// (glibc `mallopt` M_MMAP_THRESHOLD and M_TRIM_THRESHOLD, which Swift's Glibc module
/// does not export). Returns 1 if the allocator accepted both settings.
int allocator_shim_keep_large_blocks(long bytes);

#endif
