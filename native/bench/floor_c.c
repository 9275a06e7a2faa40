/*
 * floor_c.c - what any call from C into a NativeAOT library costs, whatever the callee does: C calling exports that do
 * nothing (libtransitionfloor.so, native/bench/TransitionFloor), against the same empty function written in C in
 * another shared library call. Round-robin rounds in one process, medians with ranges. Run by `make bench-floor`.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CALLS 200000
#define ROUNDS 31

int floor_empty(void* self);
int floor_thread_static(void* self);
int floor_read_word(void* self);
int c_empty(void* self);

static int word = 1;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: preemption is not charged */
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef struct Row { const char* name; int (*fn)(void*); double ns[ROUNDS]; } Row;

static Row rows[] = {
    {"C function in a shared library (call + return)", c_empty, {0}},
    {"[UnmanagedCallersOnly] export, empty body", floor_empty, {0}},
    {"[UnmanagedCallersOnly] export, one [ThreadStatic] increment", floor_thread_static, {0}},
    {"[UnmanagedCallersOnly] export, reads one word of self", floor_read_word, {0}},
};

static int compare(const void* a, const void* b)
{
    double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

int main(void)
{
    const int count = (int)(sizeof rows / sizeof rows[0]);
    volatile int sink = 0;
    for (int r = 0; r < count; r++) for (int i = 0; i < CALLS; i++) sink += rows[r].fn(&word);
    for (int round = 0; round < ROUNDS; round++) {
        for (int r = 0; r < count; r++) {
            int (*volatile fn)(void*) = rows[r].fn;
            int (*f)(void*) = fn;
            int acc = 0;
            double start = now_ns();
            for (int i = 0; i < CALLS; i++) acc += f(&word);
            rows[r].ns[round] = (now_ns() - start) / CALLS;
            sink += acc;
        }
    }

    printf("%d rounds of %d calls per row, round-robin in one process; ns per call\n\n", ROUNDS, CALLS);
    printf("| call from C | ns, median | ns, range |\n| --- | ---: | ---: |\n");
    for (int r = 0; r < count; r++) {
        double sorted[ROUNDS];
        memcpy(sorted, rows[r].ns, sizeof sorted);
        qsort(sorted, ROUNDS, sizeof sorted[0], compare);
        printf("| %s | %.2f | %.2f-%.2f |\n", rows[r].name, sorted[ROUNDS / 2], sorted[0], sorted[ROUNDS - 1]);
    }

    return sink == 42 ? 1 : 0;
}
