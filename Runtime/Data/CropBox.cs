namespace DinoCompiled.Data;

/// <summary>A rectangle of an image, in pixels: rows [Top, Top + Height), columns [Left, Left + Width).</summary>
/// <param name="Top">First row.</param>
/// <param name="Left">First column.</param>
/// <param name="Height">Number of rows.</param>
/// <param name="Width">Number of columns.</param>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);
