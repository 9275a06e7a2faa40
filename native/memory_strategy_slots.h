/*
 * memory_strategy_slots.h - what the C code linked into the NativeAOT library (memory_strategy_validators.c,
 * memory_strategy_calls.c) knows of the runtime's slots: the layouts it mirrors from MemoryStrategy.Runtime's
 * NativeVtableSlots (src/Runtime/Native/NativeVtableSlots*.cs), how it recognises a slot, and each C thread's reader
 * mark. Internal to the library: not part of the C `MemoryStrategy` interface (include/memory_strategy.h).
 */
#ifndef MEMORY_STRATEGY_SLOTS_H
#define MEMORY_STRATEGY_SLOTS_H

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

struct SidePage;

/* The first 64 bytes of a slot page (NativeVtableSlots.PageHeader). */
typedef struct SlotPageHeader {
    uintptr_t tag;     /* secret ^ page: the runtime's own recognition */
    uintptr_t secret;  /* the runtime's secret, for this file's recognition */
    uintptr_t check;   /* secret * CHECK_MULTIPLIER + page */
    bool (*validate_strategy)(const MemoryStrategy* strategy);
    bool (*validate_allocation)(const MemoryStrategy* strategy, size_t size);
    bool (*validate_deallocation)(const MemoryStrategy* strategy, const void* ptr);
    bool (*owns)(const MemoryStrategy* strategy, const void* ptr); /* the ownership question alone */
    const struct SidePage* side; /* the slots' descriptions, beside the page */
} SlotPageHeader;

/* A C thread's reader mark (NativeVtableSlots.Reader): the slot whose descriptions it reads, and whether a thread
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
    const int32_t* status; /* a size class's status word (SizeClasses); NULL in a slot's own description */
} Ownership;

/*
 * One slot's description of its strategy's per-thread block caches (NativeVtableSlots.BlockCache, NativeBlockCache),
 * for memory_strategy_calls.c: the generated thunks to fall back on, the largest size served, the block stride, and
 * where the fields live in a thread's object (offsets from its first field): the stack of free block indices, its
 * count and capacity, the owner's busy flag and the thieves' lock (the pool's), then the runtime's counters.
 */
typedef struct BlockCache {
    int32_t published; /* the C calls read `generation` instead: 0 while the description is not published */
    uint8_t flags; /* CACHE_STRICT, CACHE_ROUTED */
    uint8_t free_state;
    uint16_t items_offset;
    uint64_t generation;
    void* (*allocate)(MemoryStrategy* self, size_t size);
    void (*deallocate)(MemoryStrategy* self, void* ptr);
    size_t max_size;
    union {
        size_t stride;                          /* a pool's */
        const struct SizeClasses* size_classes; /* a routed strategy's (CACHE_ROUTED) */
    };
    uint16_t count_offset;
    uint16_t capacity_offset;
    uint16_t busy_offset;
    uint16_t steal_lock_offset;
    uint16_t allocations_offset;
    uint16_t deallocations_offset;
    uint16_t bytes_offset;
    uint16_t local_peak_offset;
} BlockCache;

/* BlockCache.flags: a free changes the state byte by CAS; the slot routes sizes to classes (SizeClasses). */
#define CACHE_STRICT 1u
#define CACHE_ROUTED 2u

/*
 * A strategy that routes each size to a class, each class a pool described as a slot's pool is
 * (NativeVtableSlots.SizeClasses, NativeSizeClasses): 8 KiB. The first 4 KiB: this header, then class i's block
 * description at 64 * (i + 1), then at 2 KiB the class of each size (entry k for sizes 16k+1 .. 16k+16). The second
 * 4 KiB: class i's cache description at 4 KiB + 64 * (i + 1) (so ownership_of_cache finds its block description, as
 * for a slot's), then at 4 KiB + 2 KiB the class owning each granule of the classes' reservation.
 */
typedef struct SizeClasses {
    uint32_t class_count;
    uint32_t granule_shift;
    size_t largest;
    uintptr_t reservation_start;
    uint64_t granule_count;
} SizeClasses;

#define SIZE_CLASSES_MAX 31u
#define SIZE_CLASS_TABLE_OFFSET 2048u
#define GRANULE_TABLE_OFFSET (PAGE_SIZE + 2048u)

static inline const BlockCache* class_cache(const SizeClasses* classes, uint32_t index)
{
    return (const BlockCache*)((const char*)classes + PAGE_SIZE + 64u * (index + 1u));
}

static inline const uint8_t* class_of_size(const SizeClasses* classes)
{
    return (const uint8_t*)classes + SIZE_CLASS_TABLE_OFFSET;
}

static inline const uint8_t* class_of_granule(const SizeClasses* classes)
{
    return (const uint8_t*)classes + GRANULE_TABLE_OFFSET;
}

/* Beside each slot page, 8 KiB (NativeVtableSlots.SidePage): the readers' marks and the runtime's attach function,
 * then one Ownership per slot at the slot's own offset; in the second 4 KiB, one BlockCache per slot at 4 KiB plus
 * the slot's offset. */
typedef struct SidePage {
    Reader* readers;
    /* The calling thread's object for the strategy at self, pinned until the slot's descriptions are taken back; NULL
     * when it has none to give (the strategy was destroyed, or its thread objects are not of the described type). */
    char* (*attach)(const MemoryStrategy* self);
    /* The same for class `index` of a routed strategy (CACHE_ROUTED): the calling thread's object of that class. */
    char* (*attach_class)(const MemoryStrategy* self, int32_t index);
} SidePage;

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
_Static_assert(sizeof(BlockCache) == SLOT_SIZE && offsetof(BlockCache, max_size) == 32
                   && offsetof(BlockCache, count_offset) == 48,
               "NativeVtableSlots.BlockCache layout");
_Static_assert(sizeof(Slot) == SLOT_SIZE, "NativeVtableSlots.SlotSize");
_Static_assert(offsetof(Slot, key) == 52 && offsetof(Slot, limit) == 56, "NativeVtableSlots.Slot layout");

/* Whether page (4 KiB-aligned, readable) starts with a runtime slot page's header: its tag and check words both derive
 * from the runtime's secret and the page's own address, so neither a copied page nor random bytes pass. */
static inline bool is_slot_page(uintptr_t page)
{
    const SlotPageHeader* header = (const SlotPageHeader*)page;
    uintptr_t secret = __atomic_load_n(&header->secret, __ATOMIC_RELAXED);
    return __atomic_load_n(&header->tag, __ATOMIC_RELAXED) == (secret ^ page)
        && __atomic_load_n(&header->check, __ATOMIC_RELAXED) == (uintptr_t)(secret * CHECK_MULTIPLIER + page);
}

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
    if (__builtin_expect(address < LOWEST_ADDRESS || (address & (SLOT_SIZE - 1)) != 0 || address == page, 0)) {
        return NULL;
    }

    return __builtin_expect(is_slot_page(page), 1) ? (const SlotPageHeader*)page : NULL;
}

/* The status as memory_strategy_read_status reads it, with status_tracker itself loaded atomically: the runtime
 * swaps it for the slot's Disposed word when the handle is disposed. Acquire on both, so the status word read is
 * the one the pointer was published with. */
static inline StrategyStatus slot_status(const MemoryStrategy* self)
{
    const StatusTracker* tracker = __atomic_load_n(&self->status_tracker, __ATOMIC_ACQUIRE);
    return (StrategyStatus)__atomic_load_n(&tracker->status, __ATOMIC_ACQUIRE);
}

/* The side page of a slot page (NULL for a header written before side pages existed: never, but read defensively). */
static inline const SidePage* side_page(const SlotPageHeader* page)
{
    return __atomic_load_n(&page->side, __ATOMIC_RELAXED);
}

/* The slot's block description, beside it. */
static inline const Ownership* ownership_of(const SidePage* side, const MemoryStrategy* self)
{
    return (const Ownership*)((const char*)side + ((uintptr_t)self & (PAGE_SIZE - 1)));
}

/* The block description of the slot whose cache description this is: 4 KiB before it. */
static inline const Ownership* ownership_of_cache(const BlockCache* cache)
{
    return (const Ownership*)((const char*)cache - PAGE_SIZE);
}

/* The slot's block-cache description, in the side page's second half. */
static inline const BlockCache* block_cache_of(const SidePage* side, const MemoryStrategy* self)
{
    return (const BlockCache*)((const char*)side + PAGE_SIZE + ((uintptr_t)self & (PAGE_SIZE - 1)));
}

/*
 * The index of ptr's block in a description, or a value >= count when ptr is not the start of one of its blocks: the
 * offset from the start times the inverse of the stride's odd part, rotated right by the stride's power of two (the
 * divisibility test for an even divisor, Hacker's Delight 10-17). For an offset that is a multiple of the stride the
 * result is the quotient: the product is the quotient shifted left, whose low bits the rotation brings back. For any
 * other offset it exceeds the largest quotient the address space allows, and so the count: an offset with bits set
 * below the power of two keeps them (the inverse is odd), rotated into the top; an offset of whole powers of two that
 * is not a multiple of the odd part multiplies to more than (2^(64 - shift) - 1) / odd; a pointer below the start
 * wraps around to such an offset, and NULL with it. The same mapping as BlockIndexer's in .NET.
 */
static inline uint64_t block_index_at(uintptr_t start, int32_t shift, uint64_t odd_inverse, const void* ptr)
{
    uint64_t product = (uint64_t)((uintptr_t)ptr - start) * odd_inverse;
    unsigned rotate = (unsigned)shift & 63u;
    return (product >> rotate) | (product << ((64u - rotate) & 63u));
}

/* block_index_at for a block description. */
static inline uint64_t block_index(const Ownership* blocks, const void* ptr)
{
    return block_index_at(blocks->start, blocks->shift, blocks->odd_inverse, ptr);
}

/*
 * This thread's reader mark (memory_strategy_validators.c), claimed on its first use and given back when it exits. A
 * thread stores the slot in its mark (a plain store), then loads the description's `published` word; the runtime takes
 * a description back (NativeVtableSlots.RetireDescriptions) by storing 0 in `published`, running a process-wide
 * barrier, then waiting while any mark names the slot: either it sees the mark and waits, or this thread's load comes
 * after the barrier's fence on its core and sees 0 (an asymmetric Dekker handshake). The initial-exec model makes the
 * read one fs-relative load (the library takes a few bytes of the static TLS block).
 */
extern __thread Reader* t_reader __attribute__((tls_model("initial-exec")));

/* Claims a free mark for this thread (from side's marks), or NULL when all are taken, when the thread already found
 * them all taken once (its questions then go to .NET for good), or when it is leaving (t_leaving). In the child of a
 * fork(), the marks of the parent's other threads are given back (memory_strategy_validators.c). */
Reader* memory_strategy_claim_reader(const SidePage* side);

/*
 * Set once .NET has begun detaching this thread (memory_strategy_validators.c, where it is set): from then on nothing
 * may enter .NET from this thread (a NativeAOT library fails fast on a thread it has detached) nor touch the thread's
 * object for a strategy (.NET considers the thread dead, and another thread may take over or steal its cache). Every
 * path of the C calls and validators that would call into .NET tests it first and refuses instead (allocate NULL,
 * deallocate leaves the block allocated, a validator false); what C answers alone (a status, a block description under
 * the mark) still answers. Initial-exec, as t_reader: one fs-relative load, on the paths that are about to leave C
 * anyway.
 */
extern __thread bool t_leaving __attribute__((tls_model("initial-exec")));

/* To be called after a call from C into .NET has returned (so .NET has attached the thread): registers, once per
 * thread, the thread-exit hook that sets t_leaving before .NET detaches the thread (memory_strategy_validators.c). */
void memory_strategy_entered_runtime(void);

/* Has the C calls forget this thread's table (memory_strategy_calls.c). Weak: the validators are also built alone. */
void memory_strategy_forget_attached(void) __attribute__((weak));

/* Stores self in the mark and returns what it held (an outer call's slot, put back by leave_slot). */
static inline uintptr_t enter_slot(Reader* reader, const MemoryStrategy* self)
{
    uintptr_t outer = __atomic_load_n(&reader->slot, __ATOMIC_RELAXED);
    __atomic_store_n(&reader->slot, (uintptr_t)self, __ATOMIC_RELAXED);
    /* Keeps the compiler from moving the `published` load above the store; the hardware's reordering is the runtime's
     * process-wide barrier's to close. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    return outer;
}

/* Release: every read of the descriptions and of what they point at happens before the runtime, seeing the mark
 * cleared, lets the strategy free them. */
static inline void leave_slot(Reader* reader, uintptr_t outer)
{
    __atomic_store_n(&reader->slot, outer, __ATOMIC_RELEASE);
}

#endif /* MEMORY_STRATEGY_SLOTS_H */
