#include "jpeg_shim.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
} shim_error_mgr;

/* Fatal errors: remember libjpeg's message and jump back to jpeg_shim_decode. */
static void shim_error_exit(j_common_ptr cinfo) {
    shim_error_mgr *err = (shim_error_mgr *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->escape, 1);
}

/* Warnings (msg_level -1) such as "Premature end of JPEG file" mean the pixels are
   partly invented, so they are promoted to errors. Trace messages are ignored. */
static void shim_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level < 0) {
        shim_error_exit(cinfo);
    }
}

/* Nothing is ever printed to stderr. */
static void shim_output_message(j_common_ptr cinfo) {
    (void)cinfo;
}

/* libjpeg's error manager with the three handlers above: errors jump back, warnings are
   errors, nothing is printed. The caller sets the jump point with setjmp(err->escape). */
static struct jpeg_error_mgr *shim_errors(shim_error_mgr *err) {
    struct jpeg_error_mgr *base = jpeg_std_error(&err->base);
    err->base.error_exit = shim_error_exit;
    err->base.emit_message = shim_emit_message;
    err->base.output_message = shim_output_message;
    err->message[0] = '\0';
    return base;
}

jpeg_shim_result jpeg_shim_decode(const unsigned char *data, size_t size, size_t max_pixels) {
    jpeg_shim_result result;
    memset(&result, 0, sizeof(result));

    struct jpeg_decompress_struct cinfo;
    shim_error_mgr err;
    /* volatile: modified between setjmp and longjmp, read after the jump. */
    unsigned char *volatile pixels = NULL;

    cinfo.err = shim_errors(&err);

    if (setjmp(err.escape)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        result.status = 1;
        strncpy(result.message, err.message, sizeof(result.message) - 1);
        return result;
    }

    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    /* The header's size comes from outside: refuse it before any buffer is sized by it. */
    if ((unsigned long long)cinfo.image_width * cinfo.image_height > (unsigned long long)max_pixels) {
        snprintf(result.message, sizeof(result.message),
                 "the header claims %u x %u pixels, more than the %zu-pixel limit",
                 (unsigned)cinfo.image_width, (unsigned)cinfo.image_height, max_pixels);
        jpeg_destroy_decompress(&cinfo);
        result.status = 3;
        return result;
    }
    cinfo.out_color_space = JCS_RGB;
    /* ISLOW is PIL's default too, so pixels match torchvision's reference decode. */
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_start_decompress(&cinfo);

    const size_t stride = (size_t)cinfo.output_width * 3;
    pixels = malloc(stride * cinfo.output_height);
    if (pixels == NULL) {
        jpeg_destroy_decompress(&cinfo);
        result.status = 2;
        strncpy(result.message, "out of memory", sizeof(result.message) - 1);
        return result;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + stride * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);

    result.width = (int)cinfo.output_width;
    result.height = (int)cinfo.output_height;
    result.pixels = pixels;
    jpeg_destroy_decompress(&cinfo);
    return result;
}

void jpeg_shim_free(unsigned char *pixels) {
    free(pixels);
}

jpeg_shim_encoded jpeg_shim_encode(const unsigned char *rgb, int width, int height, int quality) {
    jpeg_shim_encoded result;
    memset(&result, 0, sizeof(result));

    struct jpeg_compress_struct cinfo;
    shim_error_mgr err;
    /* volatile: written by libjpeg between setjmp and longjmp, read after the jump. */
    unsigned char *volatile bytes = NULL;
    unsigned long size = 0;

    cinfo.err = shim_errors(&err);

    if (setjmp(err.escape)) {
        jpeg_destroy_compress(&cinfo);
        free(bytes);
        result.status = 1;
        strncpy(result.message, err.message, sizeof(result.message) - 1);
        return result;
    }

    jpeg_create_compress(&cinfo);
    unsigned char *out = NULL;
    jpeg_mem_dest(&cinfo, &out, &size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    const size_t stride = (size_t)width * 3;
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + stride * cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    bytes = out;
    jpeg_destroy_compress(&cinfo);
    result.bytes = bytes;
    result.size = size;
    return result;
}
