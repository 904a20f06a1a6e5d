namespace DinoCompiled.Cuda.Interop;

/// <summary><c>cublasLtMatrixLayoutAttribute_t</c> (cublasLt.h).</summary>
internal enum CublasLtMatrixLayoutAttribute
{
    /// <summary>CUBLASLT_MATRIX_LAYOUT_TYPE (uint32 cudaDataType).</summary>
    Type = 0,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_ORDER (int32 cublasLtOrder_t; default column-major).</summary>
    Order = 1,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_ROWS (uint64).</summary>
    Rows = 2,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_COLS (uint64).</summary>
    Cols = 3,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_LD (int64).</summary>
    Ld = 4,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT (int32).</summary>
    BatchCount = 5,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET (int64, elements).</summary>
    StridedBatchOffset = 6,

    /// <summary>CUBLASLT_MATRIX_LAYOUT_PLANE_OFFSET (int64, bytes).</summary>
    PlaneOffset = 7,
}
