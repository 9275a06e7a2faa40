/*
 * memory_strategy_validators.c - the C interface's validators (validate_strategy, validate_allocation,
 * validate_deallocation, declared in include/memory_strategy.h) as plain C, linked into the NativeAOT library
 * (native/MemoryPool.Native), so that a call from C costs a C call and enters .NET only when it must.
 *
 * What they read, for a struct of a strategy written in C# (a slot of MemoryStrategy.Runtime's NativeVtableSlots, see
 * src/Runtime/Native/NativeVtableSlots.cs, whose layout this file mirrors):
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

#include "memory_strategy.h"

/* Exported from the shared library (the NativeAOT link keeps only the symbols its exports file lists, and these are
 * added to it: see MemoryPool.Native.csproj). */
#define EXPORT __attribute__((visibility("default")))

#define PAGE_SIZE 4096u
#define SLOT_SIZE 64u
#define LOWEST_ADDRESS (64u * 1024u)

/* The page header's check word is secret * CHECK_MULTIPLIER + page (NativeVtableSlots.CheckMultiplier). */
#define CHECK_MULTIPLIER 0x9E3779B97F4A7C15ull

/* The slot's key bits (NativeVtableSlots.KeyLive and NativeStrategyTraits shifted by one). */
#define KEY_LIVE 1u
#define KEY_STATUS_ONLY_VALIDATION 2u
#define KEY_FIXED_MAX_ALLOCATION_SIZE 4u

/* The first 64 bytes of a slot page (NativeVtableSlots.PageHeader). */
typedef struct SlotPageHeader {
    uintptr_t tag;     /* secret ^ page: the runtime's own recognition */
    uintptr_t secret;  /* the runtime's secret, for this file's recognition */
    uintptr_t check;   /* secret * CHECK_MULTIPLIER + page */
    bool (*validate_strategy)(const MemoryStrategy* strategy);
    bool (*validate_allocation)(const MemoryStrategy* strategy, size_t size);
    bool (*validate_deallocation)(const MemoryStrategy* strategy, const void* ptr);
    bool (*owns)(const MemoryStrategy* strategy, const void* ptr); /* the ownership question alone */
    const struct OwnershipPage* ownership; /* the slots' block descriptions, beside the page */
} SlotPageHeader;

/* A C thread's reader mark (NativeVtableSlots.Reader): the slot whose description it reads, and whether a thread
 * holds the mark. One cache line each, so two threads' marks never share one. */
typedef struct Reader {
    uintptr_t slot;
    int32_t claimed;
    char padding[64 - sizeof(uintptr_t) - sizeof(int32_t)];
} Reader;

/* NativeVtableSlots.ReaderCount: a thread that finds every mark taken asks .NET instead. */
#define READER_COUNT 1024u

/* One slot's description of its strategy's blocks (NativeVtableSlots.Ownership, NativeBlockOwnership). */
typedef struct Ownership {
    int32_t published;
    int32_t shift;
    uintptr_t start;
    uint64_t count;
    uint64_t odd_inverse;
    const uint8_t* states;
    int32_t allocated;
} Ownership;

/* Beside each slot page (NativeVtableSlots.OwnershipPage): the readers' marks, then one description per slot at the
 * slot's own offset. */
typedef struct OwnershipPage {
    Reader* readers;
} OwnershipPage;

/* A slot (NativeVtableSlots.Slot): the struct, the Disposed word, the key, the published limit. */
typedef struct Slot {
    MemoryStrategy vtable;
    int32_t disposed_status;
    uint32_t key;
    size_t limit;
} Slot;

_Static_assert(sizeof(SlotPageHeader) == SLOT_SIZE, "the page header fills the first slot");
_Static_assert(sizeof(Reader) == 64, "NativeVtableSlots.Reader");
_Static_assert(sizeof(Ownership) <= SLOT_SIZE && offsetof(Ownership, states) == 32,
               "NativeVtableSlots.Ownership layout");
_Static_assert(sizeof(Slot) == SLOT_SIZE, "NativeVtableSlots.SlotSize");
_Static_assert(offsetof(Slot, key) == 52 && offsetof(Slot, limit) == 56, "NativeVtableSlots.Slot layout");

/*
 * The page header of self when self is a slot the runtime handed out, else NULL. Reads nothing for a pointer below 64
 * KiB or not at a slot's offset, and otherwise only the first 24 bytes of self's own page (readable: C reads
 * self->allocate to call anything at all). Random memory passes both comparisons with probability 2^-128, and a
 * copy of a page elsewhere fails them (the page's address is in both words).
 * The loads are relaxed atomics: the header is written once before any slot of the page is handed out, and reaches
 * this thread with the slot's address itself; for garbage memory a value written concurrently is just another
 * value, refused.
 */
static inline const SlotPageHeader* runtime_page(const MemoryStrategy* self)
{
    uintptr_t address = (uintptr_t)self;
    uintptr_t page = address & ~(uintptr_t)(PAGE_SIZE - 1);
    if (address < LOWEST_ADDRESS || (address & (SLOT_SIZE - 1)) != 0 || address == page) {
        return NULL;
    }

    const SlotPageHeader* header = (const SlotPageHeader*)page;
    uintptr_t secret = __atomic_load_n(&header->secret, __ATOMIC_RELAXED);
    if (__atomic_load_n(&header->tag, __ATOMIC_RELAXED) != (secret ^ page)
        || __atomic_load_n(&header->check, __ATOMIC_RELAXED) != (uintptr_t)(secret * CHECK_MULTIPLIER + page)) {
        return NULL;
    }

    return header;
}

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

/* The status as memory_strategy_read_status reads it, with status_tracker itself loaded atomically: the runtime
 * swaps it for the slot's Disposed word when the handle is disposed. Acquire on both, so the status word read is
 * the one the pointer was published with. */
static inline StrategyStatus slot_status(const MemoryStrategy* self)
{
    const StatusTracker* tracker = __atomic_load_n(&self->status_tracker, __ATOMIC_ACQUIRE);
    return (StrategyStatus)__atomic_load_n(&tracker->status, __ATOMIC_ACQUIRE);
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

/* A struct written in C (or anything not a live runtime slot): its functions and status_tracker are user-space
 * addresses (garbage is refused rather than jumped into), its status word 4-aligned, its get_status neither Faulted
 * nor Disposed, and its own validate() holds. The same checks as NativeValidators.ValidateForeign. */
static bool validate_foreign(const MemoryStrategy* strategy)
{
    if (strategy == NULL) {
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

/* What validate() answers for a slot whose strategy is validated by its status alone and has left Uninitialized: 1 or
 * 0. -1 when .NET must answer (the first validation, or the strategy's own [Validate]). */
static inline int status_only_validity(const MemoryStrategy* self, uint32_t key)
{
    if ((key & KEY_STATUS_ONLY_VALIDATION) == 0) {
        return -1;
    }

    StrategyStatus status = slot_status(self);
    return status == STRATEGY_STATUS_UNINITIALIZED ? -1 : is_serving(status);
}

EXPORT bool validate_strategy(const MemoryStrategy* strategy)
{
    const SlotPageHeader* page;
    uint32_t key = live_slot(strategy, &page);
    if (key == 0) {
        return validate_foreign(strategy);
    }

    int validity = status_only_validity(strategy, key);
    return validity >= 0 ? validity != 0 : page->validate_strategy(strategy);
}

EXPORT bool validate_allocation(const MemoryStrategy* strategy, size_t size)
{
    const SlotPageHeader* page;
    uint32_t key = live_slot(strategy, &page);
    if (key == 0) {
        /* 0 < size <= PTRDIFF_MAX, in one comparison (size 0 wraps to the largest value). */
        return size - 1u < (size_t)PTRDIFF_MAX && validate_foreign(strategy);
    }

    /* A published limit answers the size (and says the strategy has left Uninitialized); before it, .NET answers. */
    size_t limit = (key & KEY_FIXED_MAX_ALLOCATION_SIZE) ? slot_limit(strategy) : 0;
    if (limit != 0) {
        if (size - 1u >= limit) {
            return false;
        }

        int validity = status_only_validity(strategy, key);
        if (validity >= 0) {
            return validity != 0;
        }
    }

    return page->validate_allocation(strategy, size);
}

/* This thread's reader mark, claimed on its first use and given back when it exits. The initial-exec model makes the
 * read one fs-relative load instead of a __tls_get_addr call (the library takes a few bytes of the static TLS
 * block). */
static __thread Reader* t_reader __attribute__((tls_model("initial-exec")));

/* Set when this thread found every mark taken: it asks .NET from then on, without looking again. */
static __thread bool t_no_reader __attribute__((tls_model("initial-exec")));
static pthread_key_t g_reader_key;
static pthread_once_t g_reader_key_once = PTHREAD_ONCE_INIT;
static bool g_reader_key_made;

/* At thread exit: the mark goes back (release: a later claimer's CAS sees it clear). */
static void give_back_reader(void* value)
{
    Reader* reader = (Reader*)value;
    __atomic_store_n(&reader->slot, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&reader->claimed, 0, __ATOMIC_RELEASE);
}

static void make_reader_key(void)
{
    g_reader_key_made = pthread_key_create(&g_reader_key, give_back_reader) == 0;
}

/* Claims a free mark for this thread, or NULL when all are taken (its questions then go to .NET). */
static Reader* claim_reader(Reader* readers)
{
    pthread_once(&g_reader_key_once, make_reader_key);
    if (!g_reader_key_made) {
        return NULL;
    }

    for (uint32_t i = 0; i < READER_COUNT; i++) {
        int32_t free_mark = 0;
        if (__atomic_load_n(&readers[i].claimed, __ATOMIC_RELAXED) == 0
            && __atomic_compare_exchange_n(&readers[i].claimed, &free_mark, 1, false, __ATOMIC_ACQUIRE,
                                           __ATOMIC_RELAXED)) {
            if (pthread_setspecific(g_reader_key, &readers[i]) != 0) {
                __atomic_store_n(&readers[i].claimed, 0, __ATOMIC_RELEASE);
                return NULL;
            }

            t_reader = &readers[i];
            return t_reader;
        }
    }

    return NULL;
}

/*
 * The ownership question answered from the slot's block description (NativeBlockOwnership): 1 or 0, or -1 when .NET
 * must answer (no description). `reader` is the calling thread's mark, which keeps the description's state bytes
 * from being freed while they are read: the runtime takes a description back (NativeVtableSlots.RetireOwnership) by
 * storing 0 in `published`, running a process-wide barrier, then waiting while any mark names the slot. Here the mark
 * is stored first (a plain store) and `published` loaded after it: either the runtime sees the mark and waits, or this
 * load comes after the barrier's fence on this core and sees 0 (an asymmetric Dekker handshake; the compiler barrier
 * keeps the compiler from reordering the two). The mark found on entry is put back on exit, so a nested call leaves
 * an outer one's mark in place.
 */
static inline int owns_in_c(const MemoryStrategy* self, const SlotPageHeader* page, const void* ptr, Reader* reader)
{
    const OwnershipPage* side = __atomic_load_n(&page->ownership, __ATOMIC_RELAXED);
    if (side == NULL) {
        return -1;
    }

    uintptr_t outer = __atomic_load_n(&reader->slot, __ATOMIC_RELAXED);
    __atomic_store_n(&reader->slot, (uintptr_t)self, __ATOMIC_RELAXED);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);

    const Ownership* blocks = (const Ownership*)((const char*)side + ((uintptr_t)self & (PAGE_SIZE - 1)));
    int answer = -1;

    /* Acquire: pairs with the runtime's release store of 1, made after the fields. */
    if (__atomic_load_n(&blocks->published, __ATOMIC_ACQUIRE) != 0) {
        /* BlockIndexer's mapping: a pointer below the start wraps to a huge offset and fails the count comparison. */
        uint64_t offset = (uint64_t)((uintptr_t)ptr - blocks->start);
        uint64_t index = (offset >> blocks->shift) * blocks->odd_inverse;
        answer = (offset & ((UINT64_C(1) << blocks->shift) - 1)) == 0 && index < blocks->count
            && __atomic_load_n(&blocks->states[index], __ATOMIC_RELAXED) == (uint8_t)blocks->allocated;
    }

    /* Release: the reads above happen before the runtime, seeing the mark cleared, lets the strategy free them. */
    __atomic_store_n(&reader->slot, outer, __ATOMIC_RELEASE);
    return answer;
}

/* A thread's first ownership question: it claims its reader mark, and .NET answers this once. Out of line and a tail
 * call, so that validate_deallocation keeps nothing across a call. */
static __attribute__((noinline, cold)) bool owns_claiming(const MemoryStrategy* strategy, const SlotPageHeader* page,
                                                          const void* ptr)
{
    const OwnershipPage* side = __atomic_load_n(&page->ownership, __ATOMIC_RELAXED);
    if (side != NULL && !t_no_reader && claim_reader(side->readers) == NULL) {
        t_no_reader = true;
    }

    return page->owns(strategy, ptr);
}

EXPORT bool validate_deallocation(const MemoryStrategy* strategy, const void* ptr)
{
    if (ptr == NULL) {
        return false;
    }

    /* No out-parameter here (unlike live_slot): the page stays in a register, and every call below is a tail call,
     * so the fast path saves no register and keeps no stack frame. */
    const SlotPageHeader* page = runtime_page(strategy);
    uint32_t key = page != NULL ? slot_key(strategy) : 0;
    if (key == 0) {
        return validate_foreign(strategy);
    }

    /* Ownership is the strategy's to answer (its [Owns] or its live-pointer registry). A strategy validated by its
     * status alone is refused here when faulted or disposed; when serving, its block description answers in C when
     * it has one (owns_in_c), else .NET answers the ownership question alone. Any other strategy goes to the
     * runtime's whole validator. */
    int validity = status_only_validity(strategy, key);
    if (validity == 0) {
        return false;
    }

    if (validity > 0) {
        Reader* reader = t_reader;
        if (reader == NULL) {
            return owns_claiming(strategy, page, ptr);
        }

        int owned = owns_in_c(strategy, page, ptr, reader);
        if (owned >= 0) {
            return owned != 0;
        }

        return page->owns(strategy, ptr);
    }

    return page->validate_deallocation(strategy, ptr);
}
