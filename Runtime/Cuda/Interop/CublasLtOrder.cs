namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasLtOrder_t</c> (cublasLt.h): a matrix layout's memory order.</summary>
internal enum CublasLtOrder
{
    /// <summary>CUBLASLT_ORDER_COL: column-major (the default).</summary>
    Column = 0,

    /// <summary>CUBLASLT_ORDER_ROW: row-major.</summary>
    Row = 1,
}
