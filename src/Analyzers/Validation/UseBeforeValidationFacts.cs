using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM3003's dataflow: the strategies (parameters, locals, the class's own fields and properties) validated on every
/// path so far. A successful <c>Validate()</c> or <c>StrategyValidator</c> check adds one on its true edge; assigning
/// the variable removes it, unless the new value was just created (<c>new Pool()</c>): only strategies taken from a
/// parameter, a field, a property or a call need the C interface's "always validate before use". So does a call whose
/// code assigns a validated field or a member along a validated path (<c>Swap()</c> setting <c>_pool = _next</c>),
/// read through <see cref="CalleeFieldWrites"/>; a copy (<c>var t = s;</c>) shares what is known of its source
/// (<see cref="Alias"/>), and an element at a constant or a variable's index is a strategy of its own. Each
/// unvalidated strategy is reported once per path, at its first use. In a strategy class, the strategies it holds in its
/// own fields are never reported (<see cref="HolderReads"/>).
/// </summary>
internal sealed class UseBeforeValidationFacts : FlowFacts
{
    /// <summary>The diagnostic properties of a use through a getter that creates on every read.</summary>
    private static readonly ImmutableDictionary<string, string?> s_newOnEveryRead =
        ImmutableDictionary<string, string?>.Empty.Add(UseBeforeValidationProperties.NewOnEveryRead, "true");

    /// <summary>What a call's code must do to a step of a validated path to forget the validation: assign it, the last one with anything but a new strategy (code that cannot be read is taken as leaving it).</summary>
    private static readonly Func<FieldEffect, bool, bool> s_forgets = static (effect, last) => effect == FieldEffect.Assigns || (!last && effect == FieldEffect.AssignsNew);

    private readonly StrategySymbols _symbols;

    /// <summary>In a strategy class's body, the strategies it holds in its own fields; null elsewhere.</summary>
    private readonly HolderReads? _holderReads;

    /// <summary>In a lambda's or local function's body, that function; null in a method's own body.</summary>
    private readonly IMethodSymbol? _nestedFunction;

    public UseBeforeValidationFacts(StrategySymbols symbols, HolderReads? holderReads = null, IMethodSymbol? nestedFunction = null)
    {
        _symbols = symbols;
        _holderReads = holderReads;
        _nestedFunction = nestedFunction;
    }

    public override bool MustHoldOnEveryPath => true;

    public override ImmutableHashSet<object> Transfer(IOperation operation, ImmutableHashSet<object> facts, Action<Diagnostic>? report)
    {
        if (operation is ISimpleAssignmentOperation assignment)
        {
            // A variable or member assigned: what was validated through it (itself, root.Member, a.B.Current after a.B)
            // no longer is, unless the new value was just created.
            facts = Forget(facts, assignment.Target);
            return assignment.Value.WithoutConversions() is IObjectCreationOperation && StrategyVariable(assignment.Target) is { } assigned
                ? facts.Add(assigned)
                : Copy(facts, assignment.Target, assignment.Value);
        }

        if (UpdatedInPlace(operation) is { } updated)
        {
            return Forget(facts, updated); // an index moved on (i++): a[i] is another element
        }

        if (UserDefinedOperator(operation) is not null)
        {
            return ForgetMembers(facts, operation, _symbols.FieldWrites, s_forgets);
        }

        if (operation is IInvocationOperation call)
        {
            // A method whose code assigns a validated field or a member along a validated path (the last one with
            // anything but a new strategy) leaves it holding a strategy no one validated; code that cannot be read is
            // taken as leaving it (the rule reports what it can show).
            facts = ForgetMembers(facts, call, _symbols.FieldWrites, s_forgets);
        }

        if (operation is not IInvocationOperation { Instance: { } receiver } invocation)
        {
            return facts;
        }

        bool allocates = StrategyCalls.IsAllocate(invocation, _symbols);
        if (!allocates && !StrategyCalls.IsDeallocate(invocation, _symbols))
        {
            return facts;
        }

        if (_holderReads?.IsHeld(receiver) == true)
        {
            return facts; // a holder routing to its own inner strategy (see UseBeforeValidationAnalyzer.ForBody)
        }

        string use = allocates ? "allocate" : "deallocate";
        IOperation source = receiver.WithoutConversions();
        bool factory = ReadsAFactory(source);
        if (source is IInvocationOperation || factory)
        {
            // A call, or a path through a property whose getter makes a new object on every read: what is used is
            // never what was validated before, so every use is reported (and a guard on the read is no fix).
            ImmutableDictionary<string, string?>? properties = factory ? s_newOnEveryRead : null;
            report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseBeforeValidation, invocation.Syntax.GetLocation(), properties, source.Syntax.ToString(), use));
            return facts;
        }

        if (StrategyVariable(receiver) is not { } strategy || facts.Contains(strategy) || IsCaptured(strategy))
        {
            return facts;
        }

        string name = strategy is ISymbol symbol ? symbol.Name : strategy.ToString();
        report?.Invoke(Diagnostic.Create(DiagnosticDescriptors.UseBeforeValidation, invocation.Syntax.GetLocation(), name, use));
        return AddWithAliases(facts, strategy);
    }

    /// <summary>
    /// In a lambda's or local function's body, whether <paramref name="strategy"/> is read through something the function
    /// did not take itself: a captured local or parameter, or a field or property (what it went through before the
    /// function runs is not visible here). The function's own parameters and locals are judged as a method's are.
    /// </summary>
    private bool IsCaptured(object strategy)
    {
        if (_nestedFunction is null)
        {
            return false;
        }

        ISymbol root = strategy is MemberPath path ? path.Root : (ISymbol)strategy;
        return root is not (ILocalSymbol or IParameterSymbol)
            || !SymbolEqualityComparer.Default.Equals(root.ContainingSymbol, _nestedFunction);
    }

    public override ImmutableHashSet<object> Assume(IOperation condition, bool value, ImmutableHashSet<object> facts)
    {
        IOperation test = StripNot(condition, ref value);
        return value && StrategyCalls.GetValidatedStrategy(test, _symbols) is { } validated && StrategyVariable(validated) is { } strategy
            ? AddWithAliases(facts, strategy)
            : facts;
    }

    /// <summary>
    /// Whether <paramref name="source"/> reads a property whose getter makes a new object on every read, itself or
    /// anywhere along its path (<c>Current</c>, <c>Current.Pool</c>, <c>a.Fresh.Pool</c>).
    /// </summary>
    private static bool ReadsAFactory(IOperation source)
    {
        IOperation? link = source;
        while (link?.WithoutConversions() is IMemberReferenceOperation member)
        {
            if (member is IPropertyReferenceOperation property && CreatesOnEveryRead(property.Property))
            {
                return true;
            }

            link = member.Instance;
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="property"/>'s getter, in source, returns a newly created object on every path
    /// (<c>Current =&gt; new Pool()</c>, or a body whose every <c>return</c> is a creation): a factory, not a variable.
    /// </summary>
    private static bool CreatesOnEveryRead(IPropertySymbol property)
    {
        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            SyntaxNode declaration = reference.GetSyntax();
            if (declaration is PropertyDeclarationSyntax { ExpressionBody.Expression: var body })
            {
                return IsCreation(body);
            }

            if (declaration is PropertyDeclarationSyntax { AccessorList: { } accessors }
                && accessors.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) is { } getter)
            {
                if (getter.ExpressionBody is { Expression: var getterBody })
                {
                    return IsCreation(getterBody);
                }

                if (getter.Body is { } block)
                {
                    var returns = block.DescendantNodes(node => node is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
                        .OfType<ReturnStatementSyntax>().ToList();
                    return returns.Count > 0 && returns.All(r => r.Expression is { } value && IsCreation(value));
                }
            }
        }

        return false;

        static bool IsCreation(ExpressionSyntax expression) =>
            expression is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax;
    }

    /// <summary>
    /// A parameter, a local, a field or property of this instance (or static), or a path of fields and properties read
    /// from one of those (<c>other.Current</c>, <c>a.B.Current</c>, <c>_box.Pool</c>: a <see cref="MemberPath"/>): the
    /// places a strategy is "taken from". A property is judged as the field it reads would be, whatever its getter does
    /// (<c>Current =&gt; _pool</c>, a body, an auto-property): validating it (what the fix inserts) and then using it is
    /// not reported, using it first is. A strategy class's private getters that return its own strategies never get
    /// here (<see cref="HolderReads"/>). An indexer reads an element, not a variable: a path through one (or through a
    /// call) is left out, as an element is.
    /// </summary>
    private static object? StrategyVariable(IOperation operation) => FactOf(operation);
}
