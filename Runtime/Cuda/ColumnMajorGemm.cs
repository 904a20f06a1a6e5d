namespace DinoCompiled.Cuda;

/// <summary>
/// How a row-major GEMM C[m×n] = op(A)·op(B) is handed to column-major cuBLASLt: as Cᵀ = op(B)ᵀ·op(A)ᵀ, where a row-major
/// X[r×c] with row stride ld is read as the column-major Xᵀ[c×r] with the same ld. cuBLASLt's "A" is our B, its "B" our A,
/// each keeping its transpose flag; the layouts below describe the matrices as stored (rows, columns, ld, column-major).
/// </summary>
/// <param name="TransposeA">cuBLASLt's TRANSA (applied to our B).</param>
/// <param name="RowsA">Stored rows of cuBLASLt's A.</param>
/// <param name="ColumnsA">Stored columns of cuBLASLt's A.</param>
/// <param name="LdA">Its leading dimension (our ldb).</param>
/// <param name="TransposeB">cuBLASLt's TRANSB (applied to our A).</param>
/// <param name="RowsB">Stored rows of cuBLASLt's B.</param>
/// <param name="ColumnsB">Stored columns of cuBLASLt's B.</param>
/// <param name="LdB">Its leading dimension (our lda).</param>
/// <param name="RowsC">Rows of cuBLASLt's C and D: n.</param>
/// <param name="ColumnsC">Columns of cuBLASLt's C and D: m.</param>
/// <param name="LdC">Their leading dimension (our ldc).</param>
public readonly record struct ColumnMajorGemm(
    bool TransposeA, int RowsA, int ColumnsA, int LdA,
    bool TransposeB, int RowsB, int ColumnsB, int LdB,
    int RowsC, int ColumnsC, int LdC)
{
    /// <summary>The column-major description of a row-major GEMM.</summary>
    public static ColumnMajorGemm For(int m, int n, int k, int lda, bool transA, int ldb, bool transB, int ldc) => new(
        TransposeA: transB, RowsA: transB ? k : n, ColumnsA: transB ? n : k, LdA: ldb,
        TransposeB: transA, RowsB: transA ? m : k, ColumnsB: transA ? k : m, LdB: lda,
        RowsC: n, ColumnsC: m, LdC: ldc);
}
