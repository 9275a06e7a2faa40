using System.ComponentModel;
using System.Reflection;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>
/// Members only generated code calls are public (generated code lives in the user's assembly) but hidden from
/// IntelliSense, so a user completing <c>StatusTracker.</c> or <c>NativeExports.</c> sees only what is meant for them.
/// </summary>
public class GeneratedCodeSurfaceTests
{
    public static TheoryData<string> ForGeneratedCode => new()
    {
        "MemoryStrategy.StatusTrackerHandle",
        "MemoryStrategy.FreedMemoryPoison",
        "MemoryStrategy.NativeExports.Publish",
        "MemoryStrategy.NativeExports.Destroy",
        "MemoryStrategy.StatusTracker.RecordAllocation(StrategyThread, UIntPtr, StrategyStatus)",
    };

    public static TheoryData<string> ForUsers => new()
    {
        "MemoryStrategy.StatusTracker",
        "MemoryStrategy.NativeExports.Count",
        "MemoryStrategy.StatusTracker.RecordAllocation(StrategyThread, UIntPtr)",
        "MemoryStrategy.StatusTracker.CurrentThread",
    };

    [Theory]
    [MemberData(nameof(ForGeneratedCode))]
    public void Members_only_generated_code_calls_are_hidden_from_IntelliSense(string name) =>
        Assert.Equal(EditorBrowsableState.Never, Browsable(Find(name)));

    [Theory]
    [MemberData(nameof(ForUsers))]
    public void Members_meant_for_users_stay_visible(string name) =>
        Assert.Equal(EditorBrowsableState.Always, Browsable(Find(name)));

    private static EditorBrowsableState Browsable(MemberInfo member) =>
        member.GetCustomAttribute<EditorBrowsableAttribute>()?.State ?? EditorBrowsableState.Always;

    /// <summary>A type by full name, or a member as <c>Type.Member</c>, a method optionally with its parameter types.</summary>
    private static MemberInfo Find(string name)
    {
        string path = name.Split('(')[0];
        Type? type = FindType(path);
        if (type is not null)
        {
            return type;
        }

        int dot = path.LastIndexOf('.');
        Type owner = FindType(path[..dot]) ?? throw new InvalidOperationException($"No type for {name}.");
        MemberInfo[] members = owner.GetMember(path[(dot + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        MemberInfo? match = name.Contains('(')
            ? members.OfType<MethodInfo>().SingleOrDefault(m => name.EndsWith("(" + string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name)) + ")", StringComparison.Ordinal))
            : members.SingleOrDefault();
        return match ?? throw new InvalidOperationException($"No single public member {name}.");
    }

    private static Type? FindType(string fullName) =>
        typeof(StatusTracker).Assembly.GetType(fullName) ?? typeof(LivePointerRegistry).Assembly.GetType(fullName);
}
