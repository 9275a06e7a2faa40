/* Calls in the child of fork(), from C: worker threads ask validate_deallocation about a reference pool's block (an
 * answer C gives alone, under the thread's reader mark) while the main thread forks, twenty times. Each child (one
 * thread: the one that forked) allocates, frees and validates through the reference pool and a size-class pool, then
 * destroys both, and exits. The workers do not exist in the child; destroying the pool there used to wait forever for
 * the reader mark of a worker that was inside validate_deallocation when the parent forked. The parent gives each
 * child 10 seconds before it kills it, counts it hung and forks no more. The pools must go on serving the parent.
 * Prints one line per check and exits non-zero if any answer is wrong.
 *
 * The workers stay in C on purpose: a thread inside a call into .NET when the parent forks (a thread's first call, a
 * refill, the periodic peak sample) leaves the strategy's in-call mark raised in the child, and .NET, which does not
 * support running managed code in a forked child, waits for it there (docs/reliability.md, "Limits"). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "memory_strategy.h"
#include "memory_pool.h"
#include "size_class_pool.h"

#define WORKERS 4
#define FORKS 20

static MemoryStrategy* pools[2];
static const size_t sizes[2] = {64, 100};
static volatile int stop;
static int wrong;

static void expect(const char* what, bool ok)
{
    if (!ok) {
        __atomic_add_fetch(&wrong, 1, __ATOMIC_RELAXED);
        fprintf(stderr, "WRONG: %s\n", what);
    }
}

/* Nearly all of its time inside validate_deallocation of the reference pool, holding its reader mark. */
static void* worker(void* arg)
{
    void* block = arg;
    bool owned = true;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        owned &= validate_deallocation(pools[0], block);
    }

    expect("a worker's block is the pool's", owned);
    return NULL;
}

/* The child: what a C caller does with a pool, ending with destroy. Exit code 0 when every answer was right. */
static int child(void)
{
    int failures = 0;
    for (int p = 0; p < 2; p++) {
        MemoryStrategy* pool = pools[p];
        void* block = pool->allocate(pool, sizes[p]);
        failures += block == NULL || !validate_strategy(pool) || !validate_allocation(pool, sizes[p])
            || !validate_deallocation(pool, block);
        pool->deallocate(pool, block);
        failures += validate_deallocation(pool, block);
    }

    memory_pool_destroy(pools[0]);
    size_class_pool_destroy(pools[1]);
    return failures == 0 ? 0 : 1;
}

/* Waits up to 10 s for the child: 0 exited well, 1 answered wrongly or died, 2 hung (killed). */
static int wait_for(pid_t pid)
{
    for (int i = 0; i < 1000; i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
        }

        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }

    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 2;
}

int main(void)
{
    pools[0] = memory_pool_create(sizes[0], 1024, 16, true);
    pools[1] = size_class_pool_create();
    if (pools[0] == NULL || pools[1] == NULL) {
        fprintf(stderr, "could not create the pools\n");
        return 1;
    }

    /* The main thread's own entries, so the child's first calls are served in C as the parent's are. */
    for (int p = 0; p < 2; p++) {
        pools[p]->deallocate(pools[p], pools[p]->allocate(pools[p], sizes[p]));
    }

    void* blocks[WORKERS];
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        blocks[i] = pools[0]->allocate(pools[0], sizes[0]);
        expect("a worker's block", blocks[i] != NULL);
        expect("pthread_create", pthread_create(&threads[i], NULL, worker, blocks[i]) == 0);
    }

    int outcomes[3] = {0, 0, 0};
    for (int i = 0; i < FORKS; i++) {
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
        pid_t pid = fork();
        if (pid == 0) {
            _exit(child());
        }

        expect("fork", pid > 0);
        int outcome = pid > 0 ? wait_for(pid) : 1;
        outcomes[outcome]++;
        if (outcome == 2) {
            break; /* one is enough: each costs 10 s */
        }
    }

    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(threads[i], NULL);
        pools[0]->deallocate(pools[0], blocks[i]);
    }

    int forks = outcomes[0] + outcomes[1] + outcomes[2];
    printf("%d of %d children hung %s\n", outcomes[2], forks, outcomes[2] == 0 ? "ok" : "WRONG");
    printf("%d of %d children answered wrongly %s\n", outcomes[1], forks, outcomes[1] == 0 ? "ok" : "WRONG");
    expect("no child hung", outcomes[2] == 0);
    expect("every child answered rightly", outcomes[1] == 0);

    /* The parent's pools are untouched by the children's destroys. */
    for (int p = 0; p < 2; p++) {
        void* block = pools[p]->allocate(pools[p], sizes[p]);
        expect("the parent still serves", block != NULL && validate_deallocation(pools[p], block));
        pools[p]->deallocate(pools[p], block);
    }

    printf("the pools serve the parent after the forks ok\n");
    memory_pool_destroy(pools[0]);
    size_class_pool_destroy(pools[1]);
    printf("fork child calls: %d failures\n", wrong);
    return wrong == 0 ? 0 : 1;
}
