/* Evaluates a scenario file through the C ABI and prints the business case.
 *
 *   cargo build -p som-ffi
 *   cc -std=c99 -Iffi ffi/c/example.c -Ltarget/debug -lsom_ffi -Wl,-rpath,target/debug -o som-example
 *   ./som-example examples/housing-first.json
 *
 * Exit status: 0 for a business case, 1 for an error object, 2 for bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "som.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return NULL; }
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) { fclose(f); return NULL; }
    char *text = malloc((size_t)size + 1);
    if (text == NULL) { fclose(f); return NULL; }
    size_t read = fread(text, 1, (size_t)size, f);
    fclose(f);
    text[read] = '\0';
    return text;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SCENARIO.json\n", argv[0]);
        return 2;
    }
    if (som_abi_version() != SOM_ABI_VERSION) {
        fprintf(stderr, "libsom_ffi has ABI %u, som.h is for %d\n", som_abi_version(), SOM_ABI_VERSION);
        return 2;
    }
    char *scenario = read_file(argv[1]);
    if (scenario == NULL) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    char *result = som_evaluate(scenario, NULL); /* NULL: the embedded knowledge base */
    free(scenario);
    int is_error = strncmp(result, "{\"error\"", 8) == 0;
    fputs(result, is_error ? stderr : stdout);
    som_string_free(result);
    fprintf(stderr, "som %s\n", som_version());
    return is_error ? 1 : 0;
}
