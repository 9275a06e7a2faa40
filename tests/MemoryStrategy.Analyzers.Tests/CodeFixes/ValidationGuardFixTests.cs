using MemoryStrategy.Analyzers;
using MemoryStrategy.CodeFixes;

namespace MemoryStrategy.Analyzers.Tests;

/// <summary>The MEM3003 fix (<c>ValidationGuardFix</c>): inserts a validation guard before first use, alone and through Fix All.</summary>
public sealed class ValidationGuardFixTests
{
    [Fact]
    public Task MEM3003_inserts_the_validation_guard() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        void* p = {|MEM3003:s.Allocate(8)|};\n    }"),
        Sources.Caller("void M(IMemoryStrategy s)\n    {\n        if (!StrategyValidator.ValidateStrategy(s))\n            return;\n        void* p = s.Allocate(8);\n    }"));

    [Fact]
    public Task MEM3003_fix_all_guards_each_strategy_with_a_value_that_fits_the_method() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("void* M(IMemoryStrategy s)\n    {\n        return {|MEM3003:s.Allocate(8)|};\n    }\n    int N(IMemoryStrategy t, void* p)\n    {\n        {|MEM3003:t.Deallocate(p)|};\n        return 1;\n    }"),
        Sources.Caller("void* M(IMemoryStrategy s)\n    {\n        if (!StrategyValidator.ValidateStrategy(s))\n            return null;\n        return s.Allocate(8);\n    }\n    int N(IMemoryStrategy t, void* p)\n    {\n        if (!StrategyValidator.ValidateStrategy(t))\n            throw new global::System.InvalidOperationException(\"The memory strategy failed validation.\");\n        t.Deallocate(p);\n        return 1;\n    }"));

    [Fact]
    public Task MEM3003_guards_a_strategy_read_through_a_variable() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    void M(Box other)\n    {\n        void* p = {|MEM3003:other.Pool.Allocate(8)|};\n    }"),
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    void M(Box other)\n    {\n        if (!StrategyValidator.ValidateStrategy(other.Pool))\n            return;\n        void* p = other.Pool.Allocate(8);\n    }"));

    [Fact]
    public Task MEM3003_guards_an_element() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    void M(Box[] boxes, int i)\n    {\n        void* p = {|MEM3003:boxes[i].Pool.Allocate(8)|};\n    }"),
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    void M(Box[] boxes, int i)\n    {\n        if (!StrategyValidator.ValidateStrategy(boxes[i].Pool))\n            return;\n        void* p = boxes[i].Pool.Allocate(8);\n    }"));

    [Fact]
    public Task MEM3003_guards_a_lambda_parameter_with_the_lambda_s_own_way_out() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("void M(List<IMemoryStrategy> all)\n    {\n        all.ForEach(s =>\n        {\n            void* p = {|MEM3003:s.Allocate(8)|};\n        });\n    }"),
        Sources.Caller("void M(List<IMemoryStrategy> all)\n    {\n        all.ForEach(s =>\n        {\n            if (!StrategyValidator.ValidateStrategy(s))\n                return;\n            void* p = s.Allocate(8);\n        });\n    }"));

    [Fact]
    public Task MEM3003_guards_a_longer_path() => CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    sealed class Nest { public Box Inner { get; } = new(); }\n    Nest _nest = new();\n    void M()\n    {\n        void* p = {|MEM3003:this._nest.Inner.Pool.Allocate(8)|};\n    }"),
        Sources.Caller("sealed class Box { public IMemoryStrategy Pool = null!; }\n    sealed class Nest { public Box Inner { get; } = new(); }\n    Nest _nest = new();\n    void M()\n    {\n        if (!StrategyValidator.ValidateStrategy(this._nest.Inner.Pool))\n            return;\n        void* p = this._nest.Inner.Pool.Allocate(8);\n    }"));

    [Fact]
    public Task MEM3003_offers_no_guard_for_a_getter_that_makes_a_new_strategy_on_every_read()
    {
        // A guard would validate one strategy and the call would use the next: the diagnostic stays, unfixed.
        string source = Sources.Caller("IMemoryStrategy Current => new Impl();\n    void M()\n    {\n        void* p = {|MEM3003:Current.Allocate(8)|};\n    }");
        return CodeFixVerifier<UseBeforeValidationAnalyzer, ValidationGuardFix>.VerifyAsync(source, source, iterations: 0);
    }
}
