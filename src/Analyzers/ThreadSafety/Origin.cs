using System;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Where an object a method touches comes from, relative to the method: reached from <c>this</c> (its fields, their
/// arrays and helpers), from a static (shared by every thread), from a parameter, or confined to the calling thread
/// (created by the method and not published, a <c>[ThreadStatic]</c> static, <c>ThreadLocal&lt;T&gt;.Value</c>,
/// <c>StrategyThread.State</c>, a struct copied into a local). Whether an access through it can race is only known
/// in a calling context (<see cref="CallContext"/>): is <c>this</c> shared there, which arguments are.
/// An origin is a set of flags, because a value may come from several places (<c>a ?? b</c>, a local assigned twice).
/// </summary>
internal readonly struct Origin : IEquatable<Origin>
{
    private const int ThisBit = 1;
    private const int GlobalBit = 2;
    private const int FirstParameterShift = 2;
    private const int MaxParameters = 29;

    private readonly int _bits;

    private Origin(int bits) => _bits = bits;

    /// <summary>Confined to the calling thread: no access through it can race.</summary>
    public static Origin Confined => default;

    /// <summary>Reached from <c>this</c>: shared exactly when the receiver is.</summary>
    public static Origin This => new(ThisBit);

    /// <summary>Reached from a static field: shared by every thread.</summary>
    public static Origin Global => new(GlobalBit);

    public bool IsConfined => _bits == 0;

    /// <summary>Reached from the parameter at <paramref name="ordinal"/>: shared when the caller's argument is.</summary>
    public static Origin Parameter(int ordinal) =>
        ordinal < MaxParameters ? new(1 << (ordinal + FirstParameterShift)) : This; // beyond the mask: like this

    public Origin Join(Origin other) => new(_bits | other._bits);

    public bool IncludesThis => (_bits & ThisBit) != 0;

    public bool IncludesParameter(int ordinal) => ordinal < MaxParameters && (_bits & (1 << (ordinal + FirstParameterShift))) != 0;

    /// <summary>Only the part that does not depend on the context: <see cref="Global"/> or nothing.</summary>
    public Origin WithoutThisAndParameters() => new(_bits & GlobalBit);

    /// <summary>Whether the object is shared with other threads in <paramref name="context"/>.</summary>
    public bool IsSharedIn(CallContext context) =>
        (_bits & GlobalBit) != 0
        || ((_bits & ThisBit) != 0 && context.ThisShared)
        || ((_bits >> FirstParameterShift) & context.SharedParameters) != 0;

    /// <summary>
    /// Whether the object is reached from a static in <paramref name="context"/>: one object for every instance of
    /// the strategy, which a lock of one instance does not protect.
    /// </summary>
    public bool IsGlobalIn(CallContext context) =>
        (_bits & GlobalBit) != 0
        || ((_bits & ThisBit) != 0 && context.ThisGlobal)
        || ((_bits >> FirstParameterShift) & context.GlobalParameters) != 0;

    public bool Equals(Origin other) => _bits == other._bits;

    public override bool Equals(object? obj) => obj is Origin other && Equals(other);

    public override int GetHashCode() => _bits;

    /// <summary>The mask of shared parameters for a callee, from its arguments' origins in the caller's context.</summary>
    public static int SharedMask(System.Collections.Immutable.ImmutableArray<Origin> arguments, CallContext caller) =>
        Mask(arguments, argument => argument.IsSharedIn(caller));

    /// <summary>The mask of parameters reached from a static, from the arguments' origins in the caller's context.</summary>
    public static int GlobalMask(System.Collections.Immutable.ImmutableArray<Origin> arguments, CallContext caller) =>
        Mask(arguments, argument => argument.IsGlobalIn(caller));

    private static int Mask(System.Collections.Immutable.ImmutableArray<Origin> arguments, Func<Origin, bool> test)
    {
        int mask = 0;
        for (int i = 0; i < arguments.Length && i < MaxParameters; i++)
        {
            if (test(arguments[i]))
            {
                mask |= 1 << i;
            }
        }

        return mask;
    }
}
