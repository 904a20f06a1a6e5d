namespace DinoCompiled.Cuda;

/// <summary>Code that runs on a model's compiled class with its CUDA module, chosen by name at run time.</summary>
public interface ICudaModelVisitor
{
    /// <summary>Called with the model's compiled class.</summary>
    void Visit<TModel>() where TModel : ICudaDinoModel;
}
