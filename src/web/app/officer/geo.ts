/** Great-circle distance in metres (haversine); plenty accurate for "how far is my next task". */
export function distanceMetres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

/** A geo: URI opens the phone's own map app; the web map link is the fallback where geo: is not handled. */
export function navigationLinks(lat: number, lng: number, label: string): { geo: string; web: string } {
  return {
    geo: `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(label)})`,
    web: `https://uri.amap.com/marker?position=${lng},${lat}&name=${encodeURIComponent(label)}&coordinate=wgs84&callnative=1`,
  };
}
