#ifndef JPEG_SHIM_H
#define JPEG_SHIM_H

#include <stddef.h>
#include <stdint.h>

/// Result of `jpeg_shim_decode`. On success `status` is 0 and `pixels` holds
/// `height * width * 3` bytes of RGB (row-major, interleaved), to be released with
/// `jpeg_shim_free`. On failure `status` is nonzero, `pixels` is NULL and `message`
/// holds libjpeg's own description of the problem.
typedef struct {
    int status;
    int width;
    int height;
    unsigned char *pixels;
    char message[200];
} jpeg_shim_result;

/// Decodes a baseline or progressive JPEG held in memory to 8-bit RGB.
///
/// libjpeg's default error handler calls `exit()`, and a truncated file only raises
/// the warning "Premature end of JPEG file". This wrapper turns both into a returned
/// error: fatal errors jump back through `setjmp`, and warnings are treated as errors
/// so that a damaged file never decodes silently to grey pixels. A header claiming more
/// than `max_pixels` pixels is refused before anything is allocated for it.
jpeg_shim_result jpeg_shim_decode(const unsigned char *data, size_t size, size_t max_pixels);

/// Releases the pixels of a successful decode, or the bytes of a successful encode.
void jpeg_shim_free(unsigned char *pixels);

/// Result of `jpeg_shim_encode`. On success `status` is 0 and `bytes` holds `size` bytes of
/// JPEG, to be released with `jpeg_shim_free`; on failure `status` is nonzero, `bytes` is
/// NULL and `message` holds libjpeg's description.
typedef struct {
    int status;
    unsigned char *bytes;
    unsigned long size;
    char message[200];
} jpeg_shim_encoded;

/// Encodes `height * width * 3` bytes of 8-bit RGB (row-major, interleaved) as a baseline
/// JPEG of the given quality (1-100), in memory. libjpeg's errors return instead of exiting.
jpeg_shim_encoded jpeg_shim_encode(const unsigned char *rgb, int width, int height, int quality);

#endif
