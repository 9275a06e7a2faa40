using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Which values in one body of a <c>[MemoryStrategy]</c> class are strategies it holds in its own fields, for MEM3003:
/// a holder calling those is routing a request its own generated wrapper already admitted (see
/// <see cref="UseBeforeValidationAnalyzer"/>).
/// </summary>
/// <remarks>
/// A value is held when it reads one of the class's own instance fields or auto-properties (<c>_pool</c>,
/// <c>this.Pool</c>) or a field or auto-property of an object kept in one (<c>_state.Fallback</c>), an element of one (<c>_pools[i]</c> on an array, a list, a dictionary; <c>_pools.First()</c> or
/// any call on such a collection that returns a strategy), one of two held values (<c>c ? _a : _b</c>,
/// <c>_a ?? _b</c>), or a local that only ever holds such values: each of its initialisers and assignments is held, or
/// it is the variable of a <c>foreach</c> over a held collection (or its <c>Values</c>), or the <c>out</c> of a
/// <c>TryGetValue</c> on one, or a pattern's variable matched against a held value. The result of a private helper
/// of the class, called on <c>this</c> (a method, or a property's getter), is held when every value its body returns is
/// held by these same rules, read in the helper's body alone: one level, as the thread-safety rules' summaries go, so a
/// helper calling another helper is a method's result. Any other write to the local (from a parameter, a static, a new
/// object, another method's result, a <c>ref</c> or <c>out</c> argument, a deconstruction) leaves it unheld, and the
/// rule judges it as before. The locals are collected in one walk over the body's operations, lambdas included (a
/// lambda may assign a local of the body), and judged on demand.
/// </remarks>
internal sealed class HolderReads
{
    private readonly KnownSymbols _known;

    /// <summary>Whether a private helper's result is judged by its body (false in a helper's own body: one level).</summary>
    private readonly bool _followHelpers;

    /// <summary>Helpers judged so far, by the body of each.</summary>
    private readonly Dictionary<IMethodSymbol, bool> _helpers = new(SymbolEqualityComparer.Default);

    /// <summary>Per local: what each write gives it (an element of <c>Source</c> when <c>Element</c>); a null source is a write not understood.</summary>
    private readonly Dictionary<ILocalSymbol, List<(IOperation? Source, bool Element)>> _writes = new(SymbolEqualityComparer.Default);

    /// <summary>Locals judged so far; false while one is being judged, so a cycle of locals counts as not held.</summary>
    private readonly Dictionary<ILocalSymbol, bool> _held = new(SymbolEqualityComparer.Default);

    private HolderReads(KnownSymbols known, bool followHelpers = true)
    {
        _known = known;
        _followHelpers = followHelpers;
    }

    /// <summary>The held values of <paramref name="body"/>, a body of a method (or initialiser) of a strategy class.</summary>
    public static HolderReads Of(IOperation body, KnownSymbols known) => Of(body, known, followHelpers: true);

    private static HolderReads Of(IOperation body, KnownSymbols known, bool followHelpers)
    {
        var reads = new HolderReads(known, followHelpers);
        foreach (IOperation operation in body.DescendantsAndSelf())
        {
            reads.Record(operation);
        }

        return reads;
    }

    /// <summary>
    /// Whether <paramref name="value"/> reads a strategy held in the class's own fields, without a body's locals
    /// (what a single operation shows: the field, an element of it, a private helper returning one).
    /// </summary>
    public static bool ReadsOwnField(IOperation value, KnownSymbols known) => new HolderReads(known).IsHeld(value);

    /// <summary>Whether <paramref name="value"/> is a strategy the class holds in its own fields.</summary>
    public bool IsHeld(IOperation? value) => value?.WithoutConversions() switch
    {
        IFieldReferenceOperation field => IsOwnObjectRead(field),
        IPropertyReferenceOperation { Property.IsIndexer: true } element => IsHeld(element.Instance),
        IPropertyReferenceOperation property => IsOwnObjectRead(property)
            || (!property.Property.IsStatic
                && LockId.IsOwnMember(property.Instance)
                && IsStrategyClass(property.Property.ContainingType)
                && ReturnsHeld(property.Property.GetMethod, property)),
        IArrayElementReferenceOperation element => IsHeld(element.ArrayReference),
        IInvocationOperation call => IsElementLookup(call) || (LockId.IsOwnMember(call.Instance) && ReturnsHeld(call.TargetMethod, call)),
        IConditionalOperation { WhenFalse: { } whenFalse } choice => IsHeld(choice.WhenTrue) && IsHeld(whenFalse),
        ICoalesceOperation coalesce => IsHeld(coalesce.Value) && IsHeld(coalesce.WhenNull),
        ILocalReferenceOperation local => IsHeldLocal(local.Local),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="instance"/> reads one of the class's instance fields or auto-properties, or an instance
    /// field or auto-property of an object kept in one (a helper holding its state: <c>_state.Fallback</c>,
    /// <c>_state.Tiers.Small</c>). A strategy read so is held as the class's own field is; a computed property or a call
    /// on the way is not followed (it may return anything).
    /// </summary>
    private bool IsOwnObjectRead(IOperation? instance) => instance?.WithoutConversions() switch
    {
        IFieldReferenceOperation field => !field.Field.IsStatic
            && (LockId.IsOwnMember(field.Instance) ? IsStrategyClass(field.Field.ContainingType) : IsOwnObjectRead(field.Instance)),
        IPropertyReferenceOperation { Property.IsIndexer: false } property => !property.Property.IsStatic
            && AutoProperties.IsAutoProperty(property.Property)
            && (LockId.IsOwnMember(property.Instance) ? IsStrategyClass(property.Property.ContainingType) : IsOwnObjectRead(property.Instance)),
        _ => false,
    };

    /// <summary>Whether each element of <paramref name="collection"/> is held: a held collection, or a held dictionary's <c>Values</c>.</summary>
    private bool IsHeldCollection(IOperation collection) =>
        IsHeld(collection)
        || (collection.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "Values", Property.IsIndexer: false, Instance: { } dictionary }
            && IsHeld(dictionary));

    /// <summary>
    /// A call that takes a strategy out of a held collection: its receiver (or an extension's <c>this</c>) is a held
    /// collection of strategies and it returns a strategy (<c>_pools.First()</c>, <c>_pools.Find(…)</c>,
    /// <c>_bySize.GetValueOrDefault(key)</c>). A call on a held strategy itself (<c>_pool.Clone()</c>) is not: it may
    /// make a new one.
    /// </summary>
    private bool IsElementLookup(IInvocationOperation invocation)
    {
        IOperation? collection = invocation.Instance
            ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return collection is not null
            && _known.IMemoryStrategy is { } contract
            && invocation.Type is { } result
            && InnerStrategyTypes.HowHeld(result, contract) == InnerStrategyHolding.Itself
            && collection.WithoutConversions().Type is { } collectionType
            && InnerStrategyTypes.HowHeld(collectionType, contract) is InnerStrategyHolding.Elements or InnerStrategyHolding.Values
            && IsHeld(collection);
    }

    /// <summary>
    /// <c>private IMemoryStrategy Pick(nuint size) =&gt; size &lt; 64 ? _small : _big;</c>, <c>private Impl Pool =&gt;
    /// _pool;</c>: an instance method or getter of a strategy class that only that class can call (private, so no
    /// override or caller elsewhere changes what it returns), whose every <c>return</c> gives a held value, read in its
    /// own body. Judged once per helper. <paramref name="use"/> is the call or property read, for its semantic model.
    /// </summary>
    private bool ReturnsHeld(IMethodSymbol? helper, IOperation use)
    {
        if (!_followHelpers
            || helper is not { IsStatic: false, IsAbstract: false, IsExtern: false, DeclaredAccessibility: Accessibility.Private }
            || !IsStrategyClass(helper.ContainingType)
            || use.SemanticModel is not { } model)
        {
            return false;
        }

        helper = helper.OriginalDefinition.PartialImplementationPart ?? helper.OriginalDefinition;
        if (_helpers.TryGetValue(helper, out bool known))
        {
            return known;
        }

        _helpers[helper] = false; // a helper that returns its own result (recursion) holds nothing
        bool held = false;
        foreach (SyntaxReference reference in helper.DeclaringSyntaxReferences)
        {
            SyntaxNode syntax = reference.GetSyntax();
            if (BodyOf(syntax, model) is not { } body)
            {
                held = false;
                break;
            }

            held = ReturnsOnlyHeld(body, Of(body, _known, followHelpers: false));
            if (!held)
            {
                break;
            }
        }

        _helpers[helper] = held;
        return held;
    }

    /// <summary>Whether <paramref name="body"/> returns something, and every value it returns (not a lambda's) is held.</summary>
    private static bool ReturnsOnlyHeld(IOperation body, HolderReads reads)
    {
        bool any = false;
        foreach (IOperation operation in body.DescendantsAndSelf())
        {
            if (operation is IReturnOperation { ReturnedValue: { } value } && !operation.IsInNestedFunction(body))
            {
                if (!reads.IsHeld(value))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    /// <summary>The body of a helper declared at <paramref name="syntax"/>, in whichever file of the class it is written.</summary>
    private static IOperation? BodyOf(SyntaxNode syntax, SemanticModel model)
    {
        if (syntax.SyntaxTree != model.SyntaxTree)
        {
            // Another part of a partial class: the analyzer driver's caching model provider already built this model.
#pragma warning disable RS1030 // the helper's body lies outside the analyzed block, only reachable through the compilation
            model = model.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
        }

        return model.GetOperation(syntax);
    }

    private bool IsHeldLocal(ILocalSymbol local)
    {
        if (_held.TryGetValue(local, out bool held))
        {
            return held;
        }

        if (!_writes.TryGetValue(local, out List<(IOperation? Source, bool Element)>? writes))
        {
            return false; // never written here: not a local of this body, or declared and never assigned
        }

        _held[local] = false;
        held = true;
        foreach ((IOperation? source, bool element) in writes)
        {
            if (source is null || !(element ? IsHeldCollection(source) : IsHeld(source)))
            {
                held = false;
                break;
            }
        }

        _held[local] = held;
        return held;
    }

    private void Record(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation { Symbol: { } local } declarator when GetInitializer(declarator) is { } initializer:
                Write(local, initializer, element: false);
                break;
            case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                // A compound assignment (`??=` included) keeps the old value or combines it: the new one must be held too.
                Write(target.Local, assignment is ISimpleAssignmentOperation or ICoalesceAssignmentOperation ? assignment.Value : null, element: false);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (IOperation target in deconstruction.Target.DescendantsAndSelf())
                {
                    if (target is ILocalReferenceOperation local)
                    {
                        Write(local.Local, null, element: false);
                    }
                }

                break;
            case IForEachLoopOperation loop:
                foreach (ILocalSymbol local in loop.Locals)
                {
                    Write(local, loop.Collection, element: true);
                }

                break;
            case IArgumentOperation argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out && PassedLocal(argument.Value) is { } local:
                Write(local, IsLookup(argument) ? ((IInvocationOperation)argument.Parent!).Instance : null, element: true);
                break;
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol local } pattern:
                Write(local, MatchedValue(pattern), element: false);
                break;
            case IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol local } pattern:
                Write(local, MatchedValue(pattern), element: false);
                break;
            case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation local }:
                Write(local.Local, null, element: false);
                break;
        }
    }

    private void Write(ILocalSymbol local, IOperation? source, bool element)
    {
        if (!_writes.TryGetValue(local, out List<(IOperation? Source, bool Element)>? writes))
        {
            _writes[local] = writes = new List<(IOperation? Source, bool Element)>();
        }

        writes.Add((source, element));
    }

    /// <summary>
    /// The value a pattern that declares a variable is matched against, when the pattern is the whole test
    /// (<c>_fallback is Impl impl</c>, <c>case Impl impl:</c>, <c>Impl impl =&gt; …</c> in a switch expression); null
    /// for a pattern nested in another (its variable holds a part of the value, or a value combined with others).
    /// </summary>
    private static IOperation? MatchedValue(IPatternOperation pattern) => pattern.Parent switch
    {
        IIsPatternOperation match => match.Value,
        IPatternCaseClauseOperation { Parent: ISwitchCaseOperation { Parent: ISwitchOperation statement } } => statement.Value,
        ISwitchExpressionArmOperation { Parent: ISwitchExpressionOperation expression } => expression.Value,
        _ => null,
    };

    /// <summary>The initialiser of a declared local: on the declarator, or on its declaration (<c>int a, b = 0</c> has it on <c>b</c>).</summary>
    private static IOperation? GetInitializer(IVariableDeclaratorOperation declarator) =>
        declarator.Initializer?.Value
        ?? (declarator.Parent is IVariableDeclarationOperation { Declarators.Length: 1, Initializer: { } shared } ? shared.Value : null);

    /// <summary>The local an argument passes by reference: <c>out pool</c>, or <c>out var pool</c> declaring it.</summary>
    private static ILocalSymbol? PassedLocal(IOperation value) => value switch
    {
        ILocalReferenceOperation local => local.Local,
        IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } => declared.Local,
        _ => null,
    };

    /// <summary><c>_byName.TryGetValue(key, out var pool)</c>: the <c>out</c> receives an element of the receiver.</summary>
    private static bool IsLookup(IArgumentOperation argument) =>
        argument.Parameter?.RefKind == RefKind.Out
        && argument.Parent is IInvocationOperation { TargetMethod.Name: "TryGetValue", Instance: not null };

    private bool IsStrategyClass(INamedTypeSymbol? type) => type is not null && _known.IsStrategy(type.OriginalDefinition);
}
