using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<UseAfterDeallocateAnalyzer>;

/// <summary>MEM3006: a pointer is dead once it was passed to Deallocate.</summary>
public sealed class UseAfterDeallocateTests
{
    private const string Consume = "static void Consume(void* p) { } ";

    /// <summary>Pointers kept in fields: the class's own, and a holder's.</summary>
    private const string Fields = "byte* _buffer; Holder _holder = new(); sealed class Holder { public void* Block; public byte* Data { get; set; } } ";

    public static TheoryData<string> Reports => new()
    {
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); *(byte*){|MEM3006:p|} = 1; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); {|MEM3006:s.Deallocate(p)|}; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); NativeMemory.Clear({|MEM3006:p|}, 8); }",
        Consume + "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); Consume({|MEM3006:p|}); }",
        "void M(IMemoryStrategy s, void* p, bool b) { if (b) s.Deallocate(p); else s.Deallocate(p); {|MEM3006:s.Deallocate(p)|}; }",
        "void M(IMemoryStrategy s) { void* p = s.Allocate(8); if (p == null) return; s.Deallocate(p); byte v = *(byte*){|MEM3006:p|}; }",
        "void M(Impl s, byte* p) { s.Deallocate(p); {|MEM3006:p|}[0] = 0; }",
        // a field of the class, a path to a holder's field or property, through a parameter too
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); {|MEM3006:_buffer|}[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(this._buffer); {|MEM3006:s.Deallocate(_buffer)|}; }",
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_holder.Block); Consume({|MEM3006:_holder.Block|}); }" + Consume,
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Data); byte b = *{|MEM3006:h.Data|}; }",
        // a call into another type, handed neither this nor a ref, cannot assign a private field
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); Console.WriteLine(\"freed\"); {|MEM3006:_buffer|}[0] = 1; }",
        // another member of the same holder assigned: the freed one is still freed
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Block); h.Data = null; {|MEM3006:s.Deallocate(h.Block)|}; }",
        // a call of the class's own code is read: one that leaves the field (it reads it, or changes another field, at any depth) keeps it freed
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); Log(); {|MEM3006:_buffer|}[0] = 1; } void Log() => Console.WriteLine((nint)_buffer);",
        Fields + "int _n; void M(IMemoryStrategy s) { s.Deallocate(_buffer); Count(); {|MEM3006:_buffer|}[0] = 1; } void Count() { _n++; Tick(); } void Tick() { if (_n < 8) Count(); }",
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); _holder = Make(); {|MEM3006:s.Deallocate(_buffer)|}; } Holder Make() { var h = new Holder(); h.Data = _buffer; return h; }",
        // a copy of the pointer, made before the free through either
        "void M(IMemoryStrategy s, void* p) { byte* q = (byte*)p; s.Deallocate(p); {|MEM3006:q|}[0] = 1; }",
        Fields + "void M(IMemoryStrategy s) { byte* p = _buffer; s.Deallocate(_buffer); {|MEM3006:p|}[0] = 1; }",
        "void M(IMemoryStrategy s, void* p) { var q = p; s.Deallocate(q); {|MEM3006:s.Deallocate(p)|}; }",
        // an element at a constant or a variable's index
        "void M(IMemoryStrategy s, byte*[] blocks) { s.Deallocate(blocks[0]); {|MEM3006:blocks[0]|}[1] = 1; }",
        "void M(IMemoryStrategy s, byte*[] blocks, int i) { s.Deallocate(blocks[i]); {|MEM3006:s.Deallocate(blocks[i])|}; }",
        // a path kept across code that does not assign it: a method of the class, a helper that assigns another member
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_holder.Block); Log(); {|MEM3006:s.Deallocate(_holder.Block)|}; } void Log() => Console.WriteLine(\"freed\");",
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Block); Touch(h); {|MEM3006:s.Deallocate(h.Block)|}; } static void Touch(Holder h) { h.Data = null; }",
        // a user-defined operator whose code leaves the field
        Fields + "public static int operator ~(C c) => 1; void M(IMemoryStrategy s) { s.Deallocate(_buffer); int x = ~this; {|MEM3006:_buffer|}[0] = 1; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); p = null; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); if (p != null) Console.WriteLine(\"freed\"); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); Console.WriteLine((nint)p); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); bool owned = s.Owns(p); }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); p = s.Allocate(8); if (p != null) *(byte*)p = 1; }",
        "void M(IMemoryStrategy s, void* p, void* q) { s.Deallocate(p); *(byte*)q = 1; }",
        "void M(IMemoryStrategy s, void* p) { s.Deallocate(p); _ = StrategyValidator.ValidateDeallocation(s, p); }",
        // a field or path assigned again, its root assigned, or a call between that may have assigned it
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); _buffer = (byte*)s.Allocate(8); if (_buffer != null) _buffer[0] = 1; }",
        Fields + "void M(IMemoryStrategy s, Holder other) { s.Deallocate(_holder.Block); _holder = other; s.Deallocate(_holder.Block); }",
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); Refill(s); _buffer[0] = 1; } void Refill(IMemoryStrategy s) => _buffer = (byte*)s.Allocate(8);",
        // a call that may assign it: handed this, or a ref to it, or a delegate
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); GC.KeepAlive(this); _buffer[0] = 1; }",
        Fields + "static void Refill(out byte* p) { p = null; } void M(IMemoryStrategy s) { s.Deallocate(_buffer); Refill(out _buffer); if (_buffer != null) _buffer[0] = 1; }",
        Fields + "Action _reset = () => { }; void M(IMemoryStrategy s) { s.Deallocate(_buffer); _reset(); _buffer[0] = 1; }",
        // the same member read through another variable is another pointer
        Fields + "void M(IMemoryStrategy s, Holder a, Holder b) { s.Deallocate(a.Block); s.Deallocate(b.Block); }",
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); _buffer = null; }",
        // the class's own code that assigns it, at any depth, through a property's setter or a ref; code that cannot be read
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); Outer(s); _buffer[0] = 1; } void Outer(IMemoryStrategy s) => Inner(s); void Inner(IMemoryStrategy s) => _buffer = (byte*)s.Allocate(8);",
        Fields + "byte* Buffer { set => _buffer = value; } void M(IMemoryStrategy s) { s.Deallocate(_buffer); Reset(); _buffer[0] = 1; } void Reset() => Buffer = null;",
        Fields + "void Clear() { ref byte* r = ref _buffer; r = null; } void M(IMemoryStrategy s) { s.Deallocate(_buffer); Clear(); _buffer[0] = 1; }",
        Fields + "protected virtual void Hook() { } void M(IMemoryStrategy s) { s.Deallocate(_buffer); Hook(); _buffer[0] = 1; }",
        // a library handed the class's own code: a lambda, a method group, another object of the class
        Fields + "void M(IMemoryStrategy s) { s.Deallocate(_buffer); Array.ForEach(new int[1], _ => _buffer = null); _buffer[0] = 1; }",
        Fields + "void Clear(int _) => _buffer = null; void M(IMemoryStrategy s) { s.Deallocate(_buffer); Array.ForEach(new int[1], Clear); _buffer[0] = 1; }",
        Fields + "void M(IMemoryStrategy s, C other) { s.Deallocate(_buffer); GC.KeepAlive(other); _buffer[0] = 1; }",
        // a copy assigned again, a copy as a number, a copy of a field the class's code assigns again between
        "void M(IMemoryStrategy s, void* p, void* r) { var q = p; q = r; s.Deallocate(q); *(byte*)p = 1; }",
        "void M(IMemoryStrategy s, void* p) { nint a = (nint)p; s.Deallocate(p); Console.WriteLine(a); }",
        Fields + "void M(IMemoryStrategy s) { byte* p = _buffer; Refill(s); s.Deallocate(p); _buffer[0] = 1; } void Refill(IMemoryStrategy s) => _buffer = (byte*)s.Allocate(8);",
        // each element freed once in a loop, another element used, the element assigned again
        "void M(IMemoryStrategy s, byte*[] blocks) { for (int i = 0; i < blocks.Length; i++) { s.Deallocate(blocks[i]); } }",
        "void M(IMemoryStrategy s, byte*[] blocks) { s.Deallocate(blocks[0]); blocks[1][0] = 1; }",
        "void M(IMemoryStrategy s, byte*[] blocks, byte* fresh) { s.Deallocate(blocks[0]); blocks[0] = fresh; blocks[0][0] = 1; }",
        // code that assigns a member along the path (a field, an auto-property), or a library handed the holder
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Block); Reset(h); s.Deallocate(h.Block); } static void Reset(Holder h) { h.Block = null; }",
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Data); Refill(h); h.Data[0] = 1; } static void Refill(Holder h) => h.Data = (byte*)NativeMemory.Alloc(8);",
        Fields + "void M(IMemoryStrategy s, Holder h) { s.Deallocate(h.Block); GC.KeepAlive(h); s.Deallocate(h.Block); }",
        // a user-defined operator or conversion whose code assigns the field
        Fields + "public static C operator +(C c, int n) { c._buffer = null; return c; } void M(IMemoryStrategy s) { s.Deallocate(_buffer); var d = this + 1; _buffer[0] = 1; }",
        Fields + "public static explicit operator int(C c) { c._buffer = null; return 0; } void M(IMemoryStrategy s) { s.Deallocate(_buffer); int n = (int)this; _buffer[0] = 1; }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_use_after_deallocate(string members) => Verify.VerifyAsync(Sources.Caller(members));

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_harmless_uses_or_live_pointers(string members) => Verify.VerifyAsync(Sources.Caller(members));
}
