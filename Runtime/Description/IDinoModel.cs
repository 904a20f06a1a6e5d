namespace DinoCompiled;

/// <summary>A model compiled by the DinoCompiled generator; the generator implements it on every declared model class.</summary>
public interface IDinoModel
{
    /// <summary>The compiled description of the model.</summary>
    static abstract ModelDescription Description { get; }
}
