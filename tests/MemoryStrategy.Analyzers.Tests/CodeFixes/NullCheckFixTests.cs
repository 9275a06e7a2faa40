using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>The MEM3005 fix (<c>NullCheckFix</c>): inserts a null check before a dereference, alone and through Fix All.</summary>
public sealed class NullCheckFixTests
{
    [Fact]
    public Task MEM3005_inserts_a_null_check() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("bool M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        {|MEM3005:p|}[0] = 1;\n        return true;\n    }"),
        Sources.Caller("bool M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        if (p == null)\n            return false;\n        p[0] = 1;\n        return true;\n    }"));

    [Fact]
    public Task MEM3005_fix_all_checks_each_pointer_once() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        byte* q = (byte*)s.Allocate(8);\n        *{|MEM3005:p|} = *{|MEM3005:q|};\n    }"),
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        byte* p = (byte*)s.Allocate(8);\n        byte* q = (byte*)s.Allocate(8);\n        if (p == null)\n            return;\n        if (q == null)\n            return;\n        *p = *q;\n    }"));

    [Fact]
    public Task MEM3005_checks_an_element() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("void M(IMemoryStrategy s, byte*[] slots, int i)\n    {\n        slots[i] = (byte*)s.Allocate(8);\n        {|MEM3005:slots[i]|}[0] = 1;\n    }"),
        Sources.Caller("void M(IMemoryStrategy s, byte*[] slots, int i)\n    {\n        slots[i] = (byte*)s.Allocate(8);\n        if (slots[i] == null)\n            return;\n        slots[i][0] = 1;\n    }"));

    [Fact]
    public Task MEM3005_checks_a_pointer_kept_in_a_holder() => CodeFixVerifier<UncheckedAllocationAnalyzer, NullCheckFix>.VerifyAsync(
        Sources.Caller("sealed class Holder { public byte* Data; }\n    Holder _holder = new();\n    void M(IMemoryStrategy s)\n    {\n        this._holder.Data = (byte*)s.Allocate(8);\n        {|MEM3005:this._holder.Data|}[0] = 1;\n    }"),
        Sources.Caller("sealed class Holder { public byte* Data; }\n    Holder _holder = new();\n    void M(IMemoryStrategy s)\n    {\n        this._holder.Data = (byte*)s.Allocate(8);\n        if (this._holder.Data == null)\n            return;\n        this._holder.Data[0] = 1;\n    }"));
}
