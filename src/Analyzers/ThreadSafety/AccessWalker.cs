using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Walks one operation block of a strategy (a method body, an accessor, a field initialiser) in source order,
/// keeping the set of locks held, and records into <see cref="CodeNode"/>s every access to a field of the strategy,
/// every call to one of its helpers, and every lock target. Lambdas and local functions become nodes of their own:
/// run in place, they are called with the locks held where they appear; handed to another thread or stored, they
/// are entry points that hold nothing.
/// </summary>
internal sealed class AccessWalker
{
    private readonly ConcurrencySymbols _symbols;
    private readonly INamedTypeSymbol _strategy;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ISymbol, CodeNode> _nodes = new(SymbolEqualityComparer.Default);

    public AccessWalker(ConcurrencySymbols symbols, INamedTypeSymbol strategy, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _strategy = strategy;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The nodes found so far: the block's owner, and its lambdas and local functions.</summary>
    public IEnumerable<CodeNode> Nodes => _nodes.Values;

    /// <summary>Methods of the strategy used as delegate values that escape (run later or elsewhere).</summary>
    public List<ISymbol> EscapedMethods { get; } = new();

    public void Walk(ISymbol owner, NodeRole role, IOperation block) =>
        Visit(block, GetNode(owner, role), ImmutableHashSet<LockId>.Empty);

    /// <summary>The node of a method of the strategy, normalised so calls and bodies meet on one symbol.</summary>
    public static ISymbol Normalize(ISymbol symbol) =>
        symbol is IMethodSymbol method ? (ISymbol?)method.PartialDefinitionPart ?? method.OriginalDefinition : symbol;

    private CodeNode GetNode(ISymbol symbol, NodeRole role)
    {
        symbol = Normalize(symbol);
        if (!_nodes.TryGetValue(symbol, out CodeNode? node))
        {
            node = new CodeNode(symbol, role);
            _nodes.Add(symbol, node);
        }

        return node;
    }

    private void Visit(IOperation? operation, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (operation is null)
        {
            return;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        switch (operation)
        {
            case ILockOperation lockOperation:
                Visit(lockOperation.LockedValue, node, locks);
                node.LockTargets.Add(lockOperation.LockedValue);
                Visit(lockOperation.Body, node, locks.Add(LockId.From(lockOperation.LockedValue)));
                return;
            case IUsingOperation usingOperation when LockPatterns.GetScopeTarget(usingOperation.Resources, _symbols) is { } scopeTarget:
                Visit(usingOperation.Resources, node, locks);
                Visit(usingOperation.Body, node, locks.Add(LockId.From(scopeTarget)));
                return;
            case IBlockOperation block:
                VisitSequence(block.Operations, node, locks);
                return;
            case ISwitchCaseOperation switchCase:
                foreach (ICaseClauseOperation clause in switchCase.Clauses)
                {
                    Visit(clause, node, locks);
                }

                VisitSequence(switchCase.Body, node, locks);
                return;
            case IConditionalOperation conditional when LockPatterns.GetConditionalTarget(conditional.Condition, _symbols, out bool heldWhenTrue) is { } tryTarget:
                Visit(conditional.Condition, node, locks);
                ImmutableHashSet<LockId> held = locks.Add(LockId.From(tryTarget));
                Visit(conditional.WhenTrue, node, heldWhenTrue ? held : locks);
                Visit(conditional.WhenFalse, node, heldWhenTrue ? locks : held);
                return;
            case IAnonymousFunctionOperation function:
                VisitFunctionValue(function.Symbol, function, node, locks);
                Visit(function.Body, GetNode(function.Symbol, NodeRole.Helper), ImmutableHashSet<LockId>.Empty);
                return;
            case ILocalFunctionOperation localFunction:
                Visit(localFunction.Body ?? localFunction.IgnoredBody, GetNode(localFunction.Symbol, NodeRole.Helper), ImmutableHashSet<LockId>.Empty);
                return;
            case IMethodReferenceOperation methodReference when IsOwnCode(methodReference.Method, methodReference.Instance):
                VisitFunctionValue(methodReference.Method, methodReference, node, locks);
                break;
            case IInvocationOperation invocation when IsOwnCode(invocation.TargetMethod, invocation.Instance):
                node.Calls.Add(new CallEdge(Normalize(invocation.TargetMethod), locks));
                break;
            case IFieldReferenceOperation field when IsSharedField(field):
                Record(field, field.Field, node, locks);
                break;
            case IPropertyReferenceOperation property when IsGuardedProperty(property):
                Record(property, property.Property, node, locks);
                break;
        }

        foreach (IOperation child in operation.ChildOperations)
        {
            Visit(child, node, locks);
        }
    }

    private void VisitSequence(ImmutableArray<IOperation> statements, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        ImmutableHashSet<LockId> current = locks;
        foreach (IOperation statement in statements)
        {
            Visit(statement, node, current);
            if (LockPatterns.GetAcquiredTarget(statement, _symbols) is { } acquired)
            {
                current = current.Add(LockId.From(acquired));
                RecordLockTarget(statement, acquired, node);
            }
            else if (LockPatterns.GetReleasedTarget(statement, _symbols) is { } released)
            {
                current = current.Remove(LockId.From(released));
            }
            else if (statement is IConditionalOperation { WhenFalse: null } guard
                && LockPatterns.GetConditionalTarget(guard.Condition, _symbols, out bool heldWhenTrue) is { } guarded
                && !heldWhenTrue
                && EndsInJump(guard.WhenTrue))
            {
                // if (!Monitor.TryEnter(x)) return;  -- everything after runs holding x.
                current = current.Add(LockId.From(guarded));
            }
            else if (statement is ITryOperation tryOperation)
            {
                foreach (IOperation releasedInFinally in LockPatterns.GetReleasedInFinally(tryOperation, _symbols))
                {
                    current = current.Remove(LockId.From(releasedInFinally));
                }
            }
        }
    }

    private static void RecordLockTarget(IOperation statement, IOperation target, CodeNode node)
    {
        // Monitor.Enter's argument has hygiene to check; Lock/SpinLock receivers are the right type by construction.
        if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { Instance: null } })
        {
            node.LockTargets.Add(target);
        }
    }

    /// <summary>
    /// A lambda or method group used as a value: run in place (an argument to an ordinary call, a local) it is a
    /// helper called with the current locks; handed to a thread, a task, a timer, or stored in a field or returned,
    /// it runs later on another thread, holding nothing.
    /// </summary>
    private void VisitFunctionValue(IMethodSymbol function, IOperation value, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (Escapes(value))
        {
            EscapedMethods.Add(Normalize(function));
        }
        else
        {
            node.Calls.Add(new CallEdge(Normalize(function), locks));
        }
    }

    private bool Escapes(IOperation value)
    {
        for (IOperation? current = value.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation:
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation invocation }:
                    return _symbols.IsDeferring(invocation.TargetMethod);
                case IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } }:
                    return _symbols.IsDeferring(constructor);
                case ISimpleAssignmentOperation assignment:
                    return assignment.Target is not ILocalReferenceOperation;
                case IEventAssignmentOperation or IReturnOperation or IFieldInitializerOperation or IPropertyInitializerOperation:
                    return true;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>A method of this strategy called on this instance (or static), or a local function.</summary>
    private bool IsOwnCode(IMethodSymbol method, IOperation? instance) =>
        method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction
        || (SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _strategy) && LockId.IsOwnMember(instance));

    private bool IsSharedField(IFieldReferenceOperation reference)
    {
        IFieldSymbol field = reference.Field;
        return !field.IsConst
            && SymbolEqualityComparer.Default.Equals(field.ContainingType?.OriginalDefinition, _strategy)
            && LockId.IsOwnMember(reference.Instance)
            && !field.Name.StartsWith(MarkerNames.GeneratedPrefix, System.StringComparison.Ordinal)
            && !reference.IsInsideNameOf();
    }

    private bool IsGuardedProperty(IPropertyReferenceOperation reference) =>
        SymbolEqualityComparer.Default.Equals(reference.Property.ContainingType?.OriginalDefinition, _strategy)
        && LockId.IsOwnMember(reference.Instance)
        && ConcurrencySymbols.HasAttribute(reference.Property, _symbols.Known.GuardedBy)
        && !reference.IsInsideNameOf();

    private void Record(IOperation reference, ISymbol member, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        AccessClassifier.Result result = AccessClassifier.Classify(reference, member, _symbols);
        node.Accesses.Add(new FieldAccess(
            member,
            result.Kind,
            result.ThroughElement,
            result.MutatesCollection,
            result.Operation.Syntax.GetLocation(),
            reference.Syntax.GetLocation(),
            reference.Syntax.SpanStart,
            locks));
    }

    private static bool EndsInJump(IOperation operation)
    {
        while (operation is IBlockOperation { Operations.Length: > 0 } block)
        {
            operation = block.Operations[block.Operations.Length - 1];
        }

        return operation is IBranchOperation or IReturnOperation or IThrowOperation
            || operation is IExpressionStatementOperation { Operation: IThrowOperation };
    }
}
