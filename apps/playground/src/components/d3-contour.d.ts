// The part of d3-contour 4.0.3 the playground uses (the package ships no types).
declare module 'd3-contour' {
  /** A band's outline: polygons of rings of [x, y] in grid units (0 to the grid's width and height). */
  export interface ContourMultiPolygon {
    type: 'MultiPolygon';
    value: number;
    coordinates: [number, number][][][];
  }
  export interface Contours {
    (values: ArrayLike<number>): ContourMultiPolygon[];
    size(size: [number, number]): Contours;
    thresholds(thresholds: number[]): Contours;
    smooth(smooth: boolean): Contours;
  }
  export function contours(): Contours;
}
