/*
 * memory_strategy_validators.c - the C interface's validators (validate_strategy, validate_allocation,
 * validate_deallocation, declared in include/memory_strategy.h) as plain C, linked into the NativeAOT library
 * (native/MemoryPool.Native), so that a call from C costs a C call and enters .NET only when it must.
 *
 * What they read, for a struct of a strategy written in C# (a slot of MemoryStrategy.Runtime's NativeVtableSlots, see
 * src/Runtime/Native/NativeVtableSlots.cs, whose layouts memory_strategy_slots.h mirrors):
 *   - the header of the struct's 4 KiB page, which tells a runtime slot from anything else and carries the runtime's
 *     own validators as function pointers (the answers that need .NET);
 *   - the slot's key word: live, "validate() checks the status only", "the limit is fixed once validated";
 *   - the slot's limit word: the strategy's MaxAllocationSize, published by the runtime once the strategy has left
 *     Uninitialized (0 until then);
 *   - the status word, through status_tracker, with acquire (memory_strategy_read_status).
 * They call into .NET for the first validation (Uninitialized), for a strategy with its own [Validate], for a limit
 * not yet published, and for validate_deallocation's ownership question (only that question, for a strategy
 * validated by its status alone). Any other struct (one written in C) is
 * validated through its own function pointers, as before.
 *
 * Lock-free and re-entrant: loads, calls that are themselves re-entrant, and around the read of a block description a
 * store to the calling thread's own reader mark (claimed once per thread with a CAS; a nested call, from a signal
 * handler say, puts back the mark it found).
 */
#include <pthread.h>
#include <stdint.h>

#include "memory_strategy_slots.h"

/* The slot's key: 0 once the runtime took the slot back (a stale pointer, then refused as a foreign struct is). */
static inline uint32_t slot_key(const MemoryStrategy* self)
{
    /* Acquire: pairs with the runtime's release store that marks the slot live once its struct is filled in
     * (NativeVtableSlots.MarkLive), so a live key comes with a complete struct, status_tracker included, even for a
     * stale pointer to a reused slot. The key is cleared before a slot is reused: a stale reader sees 0 (refused as
     * a foreign struct is) or a live key with its struct. */
    return __atomic_load_n(&((const Slot*)self)->key, __ATOMIC_ACQUIRE);
}

/* The strategy's published MaxAllocationSize, or 0 while the runtime has not published it. */
static inline size_t slot_limit(const MemoryStrategy* self)
{
    /* Acquire: pairs with the runtime's release store, made once the strategy left Uninitialized; a thread that sees
     * the limit reads a status at least as recent as the one the publishing thread saw. */
    return __atomic_load_n(&((const Slot*)self)->limit, __ATOMIC_ACQUIRE);
}

/* Ready or Degraded: a status-only validate() holds. */
static inline bool is_serving(StrategyStatus status)
{
    return (uint32_t)status - 1u < 2u;
}

/* Whether a pointer can be a user-space address: at least 64 KiB, and below 2^47 on 64-bit platforms. */
static inline bool is_user_address(const void* pointer)
{
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
    return (uint64_t)(uintptr_t)pointer - LOWEST_ADDRESS < (1ull << 47) - LOWEST_ADDRESS;
#else
    return (uint64_t)(uintptr_t)pointer - LOWEST_ADDRESS < (1ull << 32) - LOWEST_ADDRESS;
#endif
}

/* Whether self lies on one of the runtime's slot pages but at no slot's start: inside a slot's struct (a pointer into a
 * real strategy struct) or in the page's header. Those words are the runtime's, not a struct's: taken for function
 * pointers they could jump anywhere, so such a pointer is refused. The page header is on self's own page. The same
 * test as NativeVtableSlots.IsInsideSlotPageOffSlot. */
static bool inside_slot_page_off_slot(const MemoryStrategy* self)
{
    uintptr_t address = (uintptr_t)self;
    uintptr_t page = address & ~(uintptr_t)(PAGE_SIZE - 1);
    return address >= LOWEST_ADDRESS && ((address & (SLOT_SIZE - 1)) != 0 || address == page) && is_slot_page(page);
}

/* A struct written in C (or anything not a live runtime slot): its functions and status_tracker are user-space
 * addresses (garbage is refused rather than jumped into), its status word 4-aligned, its get_status neither Faulted
 * nor Disposed, and its own validate() holds. The same checks as NativeValidators.ValidateForeign. */
static bool validate_foreign(const MemoryStrategy* strategy)
{
    if (strategy == NULL || inside_slot_page_off_slot(strategy)) {
        return false;
    }

    /* A released runtime slot's functions are the runtime's, in .NET: refused on a thread .NET is detaching (their
     * answer would be a refusal too). */
    if (__builtin_expect(t_leaving, 0) && runtime_page(strategy) != NULL) {
        return false;
    }

    if (!is_user_address((const void*)strategy->allocate) || !is_user_address((const void*)strategy->deallocate)
        || !is_user_address((const void*)strategy->get_status) || !is_user_address((const void*)strategy->validate)
        || !is_user_address(strategy->status_tracker) || ((uintptr_t)strategy->status_tracker & 3u) != 0) {
        return false;
    }

    StrategyStatus status = strategy->get_status((MemoryStrategy*)strategy);
    return (status == STRATEGY_STATUS_UNINITIALIZED || is_serving(status)) && strategy->validate((MemoryStrategy*)strategy);
}

/* The key of a live runtime slot at self, with its page header in *page; 0 for anything else (validated then as a
 * struct written in C, as a released slot is). */
static inline uint32_t live_slot(const MemoryStrategy* self, const SlotPageHeader** page)
{
    *page = runtime_page(self);
    return *page != NULL ? slot_key(self) : 0;
}

/* What validate() answers for a slot whose strategy is validated by its status alone: 1 serving, 0 faulted or disposed,
 * -1 when .NET must answer (the first validation, or a strategy with its own [Validate]). Serving is tested first and
 * expected: it is the answer nearly every call gets, and the callers then run without a taken branch. */
static inline int status_only_validity(const MemoryStrategy* self, uint32_t key)
{
    if (__builtin_expect((key & KEY_STATUS_ONLY_VALIDATION) == 0, 0)) {
        return -1;
    }

    StrategyStatus status = slot_status(self);
    if (__builtin_expect(is_serving(status), 1)) {
        return 1;
    }

    return status == STRATEGY_STATUS_UNINITIALIZED ? -1 : 0;
}

/*
 * The runtime's validators, in .NET: each refuses (false) on a thread .NET is detaching (t_leaving, set by the
 * thread's exit hook, leave_runtime below), and registers that hook after the thread's first answer from .NET. Out of
 * line, so that the validators below still reach them by tail calls. ASK_RUNTIME is that body, for any of the page's
 * functions.
 */
#define ASK_RUNTIME(call)                                                                                              \
    do {                                                                                                               \
        if (t_leaving) {                                                                                               \
            return false;                                                                                              \
        }                                                                                                              \
                                                                                                                       \
        bool answer = (call);                                                                                          \
        memory_strategy_entered_runtime();                                                                             \
        return answer;                                                                                                 \
    } while (0)

static __attribute__((noinline, cold)) bool runtime_validate_strategy(const SlotPageHeader* page,
                                                                      const MemoryStrategy* strategy)
{
    ASK_RUNTIME(page->validate_strategy(strategy));
}

static __attribute__((noinline, cold)) bool runtime_validate_allocation(const SlotPageHeader* page,
                                                                        const MemoryStrategy* strategy, size_t size)
{
    ASK_RUNTIME(page->validate_allocation(strategy, size));
}

static __attribute__((noinline, cold)) bool runtime_validate_deallocation(const SlotPageHeader* page,
                                                                          const MemoryStrategy* strategy,
                                                                          const void* ptr)
{
    ASK_RUNTIME(page->validate_deallocation(strategy, ptr));
}

static __attribute__((noinline, cold)) bool runtime_owns(const SlotPageHeader* page, const MemoryStrategy* strategy,
                                                         const void* ptr)
{
    ASK_RUNTIME(page->owns(strategy, ptr));
}

EXPORT __attribute__((aligned(64))) bool validate_strategy(const MemoryStrategy* strategy)
{
    const SlotPageHeader* page;
    uint32_t key = live_slot(strategy, &page);
    if (__builtin_expect(key == 0, 0)) {
        return validate_foreign(strategy);
    }

    int validity = status_only_validity(strategy, key);
    return validity >= 0 ? validity != 0 : runtime_validate_strategy(page, strategy);
}

EXPORT __attribute__((aligned(64))) bool validate_allocation(const MemoryStrategy* strategy, size_t size)
{
    const SlotPageHeader* page;
    uint32_t key = live_slot(strategy, &page);
    if (__builtin_expect(key == 0, 0)) {
        /* 0 < size <= PTRDIFF_MAX, in one comparison (size 0 wraps to the largest value). */
        return size - 1u < (size_t)PTRDIFF_MAX && validate_foreign(strategy);
    }

    /* A published limit answers the size and says the strategy has left Uninitialized (for good: no status goes
     * back to it), so a status-only strategy's answer is then its status alone; before it, .NET answers. */
    size_t limit = __builtin_expect((key & KEY_FIXED_MAX_ALLOCATION_SIZE) != 0, 1) ? slot_limit(strategy) : 0;
    if (__builtin_expect(limit != 0, 1)) {
        if (size - 1u >= limit) {
            return false;
        }

        if (__builtin_expect((key & KEY_STATUS_ONLY_VALIDATION) != 0, 1)) {
            return is_serving(slot_status(strategy));
        }
    }

    return runtime_validate_allocation(page, strategy, size);
}

/* This thread's reader mark (see memory_strategy_slots.h). */
__thread Reader* t_reader __attribute__((tls_model("initial-exec")));

/*
 * Thread exit. glibc ends a thread in this order: the C++ thread_local destructors (__call_tls_dtors, newest
 * registration first), among them the NativeAOT runtime's, which detaches the thread from .NET; then the pthread key
 * destructors (free_attached in memory_strategy_calls.c, give_back_reader below, and the program's libraries'). A call
 * from such a key destructor (a library freeing its per-thread buffers, say) would enter a .NET that no longer knows
 * the thread, and a NativeAOT library fails fast then (CoreCLR attaches the thread again and loses track of it when it
 * ends, and a later garbage collection crashes); served from the thread's cache in C, it would touch an object .NET
 * already counts as a dead thread's, whose cache another thread may take over or steal (StatusTracker's
 * `!owner.IsAlive`).
 *
 * So this thread registers a thread_local destructor of its own, leave_runtime, once a call of its into .NET has
 * returned (memory_strategy_entered_runtime): .NET had attached the thread by then, so the runtime's destructor was
 * registered before ours and, the list running newest first, ours runs before .NET detaches the thread. It sets
 * t_leaving and has the calls forget the thread's table (memory_strategy_forget_attached, memory_strategy_calls.c:
 * every allocate and deallocate then takes the slow path, which refuses). The validators refuse likewise what only .NET
 * answers (the runtime_* functions below), and no mark is claimed again (memory_strategy_claim_reader). All of it is
 * this thread's own state, so no ordering with other threads is involved: a thread that steals or takes over the cache
 * after .NET counts this one dead finds it no longer touched. A call from a thread_local destructor registered after
 * ours runs before it, while .NET still serves the thread, and is served.
 *
 * Without __cxa_thread_atexit_impl (a weak reference: a C library other than glibc), free_attached and give_back_reader
 * (key destructors) set t_leaving, so a call after them refuses rather than read freed memory or attach again; a call
 * between .NET's detach and them is then not covered. Nor is a thread that entered .NET only through the library's
 * exports (memory_pool_create, a vtable's get_status or validate: generated code, which does not register the hook)
 * before its exit destructors call allocate, deallocate or a validator, nor a thread whose first call of all comes from
 * one (.NET attaches it then, too late for the runtime's destructor to run).
 */
__thread bool t_leaving __attribute__((tls_model("initial-exec")));

/* Set once leave_runtime is registered for this thread (or cannot be: no __cxa_thread_atexit_impl). */
static __thread bool t_exit_hooked __attribute__((tls_model("initial-exec")));

extern int __cxa_thread_atexit_impl(void (*destructor)(void*), void* object, void* dso_symbol) __attribute__((weak));
extern char __dso_handle __attribute__((visibility("hidden")));

/* The thread_local destructor: from now on this thread neither enters .NET nor reads its entries (see above). */
static void leave_runtime(void* unused)
{
    (void)unused;
    t_leaving = true;
    if (memory_strategy_forget_attached != NULL) {
        memory_strategy_forget_attached();
    }
}

void memory_strategy_entered_runtime(void)
{
    if (__builtin_expect(t_exit_hooked || t_leaving, 1)) {
        return;
    }

    /* The library's handle: glibc keeps the library loaded while a destructor of it is pending. A failure (no
     * memory) is tried again after the next call into .NET. */
    t_exit_hooked = __cxa_thread_atexit_impl == NULL
        || __cxa_thread_atexit_impl(leave_runtime, NULL, &__dso_handle) == 0;
}

/* Set when this thread found every mark taken: it asks .NET from then on, without looking again. */
static __thread bool t_no_reader __attribute__((tls_model("initial-exec")));
static pthread_key_t g_reader_key;
static pthread_once_t g_reader_key_once = PTHREAD_ONCE_INIT;
static bool g_reader_key_made;

/* At thread exit (a key destructor, so after .NET detached the thread): the mark goes back (release: a later
 * claimer's CAS sees it clear), and the thread-local forgets it, so a call from a later destructor of the same thread
 * does not use a mark another thread holds; it claims none again either (t_leaving), and answers what needs no mark.
 * Until then a call from an earlier key destructor still reads block descriptions under the mark, which is safe after
 * .NET detached the thread: the mark is this thread's, in the slot page, and destroying a strategy waits for it. */
static void give_back_reader(void* value)
{
    Reader* reader = (Reader*)value;
    t_leaving = true;
    t_reader = NULL;
    __atomic_store_n(&reader->slot, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&reader->claimed, 0, __ATOMIC_RELEASE);
}

/* The marks (NativeVtableSlots' one array, shared by every side page), once a thread of this process has claimed one:
 * what release_marks_of_lost_threads clears in a child of fork(). */
static Reader* g_readers;

/*
 * In the child of fork() (a pthread_atfork handler, run there by the thread that forked, the only thread the child
 * has): the marks of every other thread are given back. Those threads do not exist in the child, so none of them is
 * reading a description, and none will clear its mark again; one that was inside a call when the parent forked left
 * its mark naming the strategy, and destroying that strategy in the child (RetireDescriptions waits while a mark names
 * it) spun forever. The calling thread keeps its own mark (t_reader, copied with its thread-locals), which it clears
 * itself as it leaves each call. No ordering with other threads is involved: there are none yet in the child.
 */
static void release_marks_of_lost_threads(void)
{
    Reader* readers = __atomic_load_n(&g_readers, __ATOMIC_RELAXED);
    for (uint32_t i = 0; readers != NULL && i < READER_COUNT; i++) {
        if (&readers[i] != t_reader) {
            __atomic_store_n(&readers[i].slot, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&readers[i].claimed, 0, __ATOMIC_RELAXED);
        }
    }
}

/* Without the fork handler (no memory to register it) no mark is claimed at all, and every question goes to .NET: a
 * mark the child of a fork could not give back would hang a destroy there. */
static void make_reader_key(void)
{
    g_reader_key_made = pthread_key_create(&g_reader_key, give_back_reader) == 0
        && pthread_atfork(NULL, NULL, release_marks_of_lost_threads) == 0;
}

Reader* memory_strategy_claim_reader(const SidePage* side)
{
    if (t_reader != NULL) {
        return t_reader;
    }

    /* Not after the thread began leaving .NET: a mark claimed then (from a key destructor run after give_back_reader,
     * say) would never be given back. */
    if (side == NULL || t_no_reader || t_leaving) {
        return NULL;
    }

    pthread_once(&g_reader_key_once, make_reader_key);
    Reader* readers = side->readers;

    /* Before any mark is claimed, so that a child forked after a claim finds the array (fork copies the parent's
     * memory as the forking thread sees it, and the claim below is a CAS, a full barrier, after this store). Every
     * side page holds the same array: the racing stores write one value. */
    __atomic_store_n(&g_readers, readers, __ATOMIC_RELAXED);
    for (uint32_t i = 0; g_reader_key_made && i < READER_COUNT; i++) {
        int32_t free_mark = 0;
        if (__atomic_load_n(&readers[i].claimed, __ATOMIC_RELAXED) == 0
            && __atomic_compare_exchange_n(&readers[i].claimed, &free_mark, 1, false, __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED)) {
            if (pthread_setspecific(g_reader_key, &readers[i]) != 0) {
                __atomic_store_n(&readers[i].claimed, 0, __ATOMIC_RELEASE);
                break;
            }

            t_reader = &readers[i];
            return t_reader;
        }
    }

    t_no_reader = true;
    return NULL;
}

/* A thread's first ownership question: it claims its reader mark, and .NET answers this once. Out of line and a tail
 * call, so that validate_deallocation keeps nothing across a call. */
static __attribute__((noinline, cold)) bool owns_claiming(const MemoryStrategy* strategy, const SlotPageHeader* page,
                                                          const void* ptr)
{
    memory_strategy_claim_reader(side_page(page));
    return runtime_owns(page, strategy, ptr);
}

EXPORT __attribute__((aligned(64))) bool validate_deallocation(const MemoryStrategy* strategy, const void* ptr)
{
    if (ptr == NULL) {
        return false;
    }

    /* No out-parameter here (unlike live_slot): the page stays in a register, and every call below is a tail call,
     * so the fast path saves no register and keeps no stack frame. */
    const SlotPageHeader* page = runtime_page(strategy);
    uint32_t key = page != NULL ? slot_key(strategy) : 0;
    if (__builtin_expect(key == 0, 0)) {
        return validate_foreign(strategy);
    }

    /* Ownership is the strategy's to answer (its [Owns] or its live-pointer registry). A strategy validated by its
     * status alone is refused here when faulted or disposed; when serving, its block description answers in C when
     * it has one (owns_in_c), else .NET answers the ownership question alone. Any other strategy, and one not yet
     * validated (Uninitialized), goes to the runtime's whole validator. The serving case is tested first and laid
     * out straight: it is the one a validated worker takes on every free. */
    int validity = status_only_validity(strategy, key);
    if (__builtin_expect(validity <= 0, 0)) {
        return validity == 0 ? false : runtime_validate_deallocation(page, strategy, ptr);
    }

    Reader* reader = t_reader;
    if (__builtin_expect(reader == NULL, 0)) {
        return owns_claiming(strategy, page, ptr);
    }

    const SidePage* side = side_page(page);
    if (__builtin_expect(side == NULL, 0)) {
        return runtime_owns(page, strategy, ptr);
    }

    uintptr_t outer = enter_slot(reader, strategy);
    const Ownership* blocks = ownership_of(side, strategy);

    /* Acquire: pairs with the runtime's release store of 1, made after the fields. */
    if (__builtin_expect(__atomic_load_n(&blocks->published, __ATOMIC_ACQUIRE) == 0, 0)) {
        leave_slot(reader, outer);
        return runtime_owns(page, strategy, ptr);
    }

    /* The answer computed, not branched to: the owned block's start, the case a validated free asks about, runs
     * straight through to the return. */
    uint64_t index = block_index(blocks, ptr);
    bool owned = __builtin_expect(index < blocks->count, 1)
        && __atomic_load_n(&blocks->states[index], __ATOMIC_RELAXED) == (uint8_t)blocks->allocated;
    leave_slot(reader, outer);
    return owned;
}
