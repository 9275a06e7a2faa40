/*
 * bench_c.c - the reference pool and the size-class pool (written in C#, published with NativeAOT) called from C,
 * against glibc malloc and mimalloc, in one process.
 *
 * Every row runs PAIRS operations per round; the rows take turns round after round (round-robin), so a neighbour's
 * load on this machine hits every row alike. A row's figure is the median of its rounds, with the range; a ratio is
 * computed within each round (row / baseline of the same round) and then reported as the median with its range.
 * Times are the thread's CPU time. Every request is 64 bytes, but in the mixed rows (1 B to 4 KiB, one fixed sequence),
 * and every block is written at both ends.
 *
 * Build and run: make bench-c   (needs libmimalloc2.0: make deps installs it)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * mimalloc 2.0 (Debian's libmimalloc2.0; the development package is not needed), opened with dlopen and RTLD_LOCAL,
 * never linked: the library exports malloc and free too, so linking it puts them ahead of libc's for the whole process,
 * and the "glibc" rows (and every malloc of the runtime inside libmemorypool) would measure mimalloc.
 */
static void* (*mi_malloc)(size_t size);
static void (*mi_free)(void* ptr);

static bool load_mimalloc(void)
{
    void* library = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        return false;
    }

    *(void**)&mi_malloc = dlsym(library, "mi_malloc");
    *(void**)&mi_free = dlsym(library, "mi_free");
    return mi_malloc != NULL && mi_free != NULL;
}
#include "memory_strategy.h"
#include "memory_pool.h"
#include "size_class_pool.h"

#define BLOCK 64
#define PAIRS 100000
#define ROUNDS 31
#define OUTSTANDING 16

/* Keeps the compiler from proving a block unused (gcc removes a malloc/free pair it can see through). */
#define KEEP(p) __asm__ volatile("" : : "r"(p) : "memory")

static MemoryStrategy* pool;
static MemoryStrategy* classes;

/* Mixed sizes, 1 B to 4 KiB, the same fixed sequence for every row (a linear congruential generator, seed 1). */
#define MIXED 256
static size_t mixed_sizes[MIXED];
static volatile unsigned sink;

/* The thread's CPU time, not wall time: on a shared machine a round the scheduler interrupts is not charged for the
 * time another process ran. */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline void touch(unsigned char* p, int i)
{
    p[0] = (unsigned char)i;
    p[BLOCK - 1] = (unsigned char)i;
    KEEP(p);
}

static void glibc_pairs(void)
{
    for (int i = 0; i < PAIRS; i++) {
        unsigned char* p = malloc(BLOCK);
        touch(p, i);
        free(p);
    }
}

static void mimalloc_pairs(void)
{
    for (int i = 0; i < PAIRS; i++) {
        unsigned char* p = mi_malloc(BLOCK);
        touch(p, i);
        mi_free(p);
    }
}

/* The same pairs with one more mimalloc block of the size kept live across the row: mimalloc retires a page on the free
 * that empties it, so a lone pair takes that path on every free; in a program where other blocks of the size live (as
 * when mimalloc is the process's malloc), the page never empties. */
static void mimalloc_pairs_resident(void)
{
    void* resident = mi_malloc(BLOCK);
    mimalloc_pairs();
    mi_free(resident);
}

static void vtable_pairs(void)
{
    MemoryStrategy* s = pool;
    for (int i = 0; i < PAIRS; i++) {
        unsigned char* p = s->allocate(s, BLOCK);
        touch(p, i);
        s->deallocate(s, p);
    }
}

/* The C interface's validated worker: validate the strategy, allocate, validate the free, free. */
static void validated_pairs(void)
{
    MemoryStrategy* s = pool;
    for (int i = 0; i < PAIRS; i++) {
        if (!validate_strategy(s)) abort();
        unsigned char* p = s->allocate(s, BLOCK);
        touch(p, i);
        if (!validate_deallocation(s, p)) abort();
        s->deallocate(s, p);
    }
}

static void size_class_pairs(void)
{
    MemoryStrategy* s = classes;
    for (int i = 0; i < PAIRS; i++) {
        unsigned char* p = s->allocate(s, BLOCK);
        touch(p, i);
        s->deallocate(s, p);
    }
}

static inline void touch_sized(unsigned char* p, size_t size, int i)
{
    p[0] = (unsigned char)i;
    p[size - 1] = (unsigned char)i;
    KEEP(p);
}

static void glibc_mixed(void)
{
    for (int i = 0; i < PAIRS; i++) {
        size_t size = mixed_sizes[i & (MIXED - 1)];
        unsigned char* p = malloc(size);
        touch_sized(p, size, i);
        free(p);
    }
}

static void mimalloc_mixed(void)
{
    for (int i = 0; i < PAIRS; i++) {
        size_t size = mixed_sizes[i & (MIXED - 1)];
        unsigned char* p = mi_malloc(size);
        touch_sized(p, size, i);
        mi_free(p);
    }
}

static void size_class_mixed(void)
{
    MemoryStrategy* s = classes;
    for (int i = 0; i < PAIRS; i++) {
        size_t size = mixed_sizes[i & (MIXED - 1)];
        unsigned char* p = s->allocate(s, size);
        touch_sized(p, size, i);
        s->deallocate(s, p);
    }
}

static void glibc_outstanding(void)
{
    unsigned char* held[OUTSTANDING];
    for (int r = 0; r < PAIRS / OUTSTANDING; r++) {
        for (int i = 0; i < OUTSTANDING; i++) { held[i] = malloc(BLOCK); touch(held[i], i); }
        for (int i = 0; i < OUTSTANDING; i++) free(held[(i * 7) % OUTSTANDING]);
    }
}

static void mimalloc_outstanding(void)
{
    unsigned char* held[OUTSTANDING];
    for (int r = 0; r < PAIRS / OUTSTANDING; r++) {
        for (int i = 0; i < OUTSTANDING; i++) { held[i] = mi_malloc(BLOCK); touch(held[i], i); }
        for (int i = 0; i < OUTSTANDING; i++) mi_free(held[(i * 7) % OUTSTANDING]);
    }
}

static void vtable_outstanding(void)
{
    MemoryStrategy* s = pool;
    unsigned char* held[OUTSTANDING];
    for (int r = 0; r < PAIRS / OUTSTANDING; r++) {
        for (int i = 0; i < OUTSTANDING; i++) { held[i] = s->allocate(s, BLOCK); touch(held[i], i); }
        for (int i = 0; i < OUTSTANDING; i++) s->deallocate(s, held[(i * 7) % OUTSTANDING]);
    }
}

static void get_status_calls(void)
{
    MemoryStrategy* s = pool;
    unsigned n = 0;
    for (int i = 0; i < PAIRS; i++) n += (unsigned)s->get_status(s);
    sink = n;
}

static void validate_strategy_calls(void)
{
    unsigned n = 0;
    for (int i = 0; i < PAIRS; i++) n += validate_strategy(pool);
    sink = n;
}

static void validate_allocation_calls(void)
{
    unsigned n = 0;
    for (int i = 0; i < PAIRS; i++) n += validate_allocation(pool, BLOCK);
    sink = n;
}

static void *live_block;

/* native/bench/empty_validator.c, in libbenchfloor.so: the same call into another shared library, with no body. */
bool bench_empty_validator(const void* strategy, const void* ptr);

static void validate_deallocation_calls(void)
{
    unsigned n = 0;
    for (int i = 0; i < PAIRS; i++) n += validate_deallocation(pool, live_block);
    sink = n;
}

/* The floor under the validators' rows: the same loop around an empty function of the same shape in a shared library. */
static void empty_validator_calls(void)
{
    unsigned n = 0;
    for (int i = 0; i < PAIRS; i++) n += bench_empty_validator(pool, live_block);
    sink = n;
}

typedef struct Row {
    const char* name;
    void (*run)(void);
    int baseline; /* index of the row its ratio is to, or -1 */
    double ns[ROUNDS];
} Row;

static Row rows[] = {
    {"glibc malloc/free pair", glibc_pairs, -1, {0}},
    {"mimalloc pair", mimalloc_pairs, 0, {0}},
    {"mimalloc pair, its page kept in use (one resident block)", mimalloc_pairs_resident, 0, {0}},
    {"pool through the vtable, vs glibc", vtable_pairs, 0, {0}},
    {"pool through the vtable, vs mimalloc", vtable_pairs, 1, {0}},
    {"pool through the vtable, vs mimalloc with its page in use", vtable_pairs, 2, {0}},
    {"validated worker, vs glibc", validated_pairs, 0, {0}},
    {"glibc, 16 outstanding", glibc_outstanding, -1, {0}},
    {"mimalloc, 16 outstanding", mimalloc_outstanding, 7, {0}},
    {"pool through the vtable, 16 outstanding, vs mimalloc", vtable_outstanding, 8, {0}},
    {"get_status (one thunk call)", get_status_calls, -1, {0}},
    {"validate_strategy, vs the empty call below", validate_strategy_calls, 14, {0}},
    {"validate_allocation, vs the empty call below", validate_allocation_calls, 14, {0}},
    {"validate_deallocation, vs the empty call below", validate_deallocation_calls, 14, {0}},
    {"(floor) an empty function of the validators' shape in a shared library", empty_validator_calls, -1, {0}},
    {"size-class pool through the vtable (64 B), vs glibc", size_class_pairs, 0, {0}},
    {"glibc, mixed sizes 1 B-4 KiB", glibc_mixed, -1, {0}},
    {"mimalloc, mixed sizes", mimalloc_mixed, 16, {0}},
    {"size-class pool, mixed sizes, vs glibc", size_class_mixed, 16, {0}},
    {"size-class pool, mixed sizes, vs mimalloc", size_class_mixed, 17, {0}},
};

#define ROW_COUNT ((int)(sizeof rows / sizeof rows[0]))

static int compare(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static void summarise(const double* values, double* median, double* low, double* high)
{
    double sorted[ROUNDS];
    memcpy(sorted, values, sizeof sorted);
    qsort(sorted, ROUNDS, sizeof sorted[0], compare);
    *median = sorted[ROUNDS / 2];
    *low = sorted[0];
    *high = sorted[ROUNDS - 1];
}

int main(void)
{
    if (!load_mimalloc()) {
        fprintf(stderr, "mimalloc not found (libmimalloc.so.2): install it with make deps, or apt-get install libmimalloc2.0\n");
        return 1;
    }

    /* The glibc rows must time glibc: nothing (a preloaded or linked allocator) may have put its malloc ahead. */
    Dl_info owner;
    void* resolved = dlsym(RTLD_DEFAULT, "malloc");
    if (resolved == NULL || dladdr(resolved, &owner) == 0 || owner.dli_fname == NULL
        || strstr(owner.dli_fname, "libc.so") == NULL) {
        fprintf(stderr, "malloc in this process is not glibc's (%s): the glibc rows would time another allocator\n",
                resolved != NULL && dladdr(resolved, &owner) != 0 && owner.dli_fname != NULL ? owner.dli_fname : "unknown");
        return 1;
    }

    uint32_t seed = 1;
    for (int i = 0; i < MIXED; i++) {
        seed = seed * 1664525u + 1013904223u;
        mixed_sizes[i] = 1 + (seed >> 8) % 4096;
    }

    classes = size_class_pool_create();
    if (classes == NULL || !validate_strategy(classes)) {
        fprintf(stderr, "size_class_pool_create failed\n");
        return 1;
    }

    pool = memory_pool_create(BLOCK, 1 << 16, 16, false);
    if (pool == NULL || !validate_strategy(pool)) {
        fprintf(stderr, "memory_pool_create failed\n");
        return 1;
    }

    live_block = pool->allocate(pool, BLOCK);

    /* Warm-up: every path once, so the first measured round is steady state. */
    for (int r = 0; r < ROW_COUNT; r++) rows[r].run();

    for (int round = 0; round < ROUNDS; round++) {
        for (int r = 0; r < ROW_COUNT; r++) {
            /* Rows that share a loop (the vs-glibc and vs-mimalloc views) share its measurement. */
            if (r > 0 && rows[r].run == rows[r - 1].run) {
                rows[r].ns[round] = rows[r - 1].ns[round];
                continue;
            }

            double start = now_ns();
            rows[r].run();
            rows[r].ns[round] = (now_ns() - start) / PAIRS;
        }
    }

    printf("%d rounds of %d operations per row, round-robin in one process; ns per pair (per call for the thunk and the validators)\n\n", ROUNDS, PAIRS);
    printf("| row | ns, median | ns, range | ratio, median | ratio, range |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (int r = 0; r < ROW_COUNT; r++) {
        double median, low, high;
        summarise(rows[r].ns, &median, &low, &high);
        printf("| %s | %.2f | %.2f-%.2f |", rows[r].name, median, low, high);
        if (rows[r].baseline >= 0) {
            double ratios[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) ratios[round] = rows[r].ns[round] / rows[rows[r].baseline].ns[round];
            summarise(ratios, &median, &low, &high);
            printf(" %.2fx | %.2f-%.2f |\n", median, low, high);
        } else {
            printf(" | |\n");
        }
    }

    pool->deallocate(pool, live_block);
    memory_pool_destroy(pool);
    return 0;
}
