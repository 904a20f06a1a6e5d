namespace DinoCompiled.Compiled;

/// <summary>
/// Generic dispatch from a model's name to its compiled type without reflection: the generated catalog calls
/// <see cref="Visit{TModel}"/> with the class the name belongs to, so callers run <c>DinoStep&lt;TModel&gt;</c> and friends.
/// </summary>
public interface IDinoModelVisitor
{
    /// <summary>Called with the compiled model's class.</summary>
    void Visit<TModel>() where TModel : ICompiledDinoModel;
}
