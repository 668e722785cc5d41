// dcmjs ships no type declarations. Lumen uses only its data dictionary (PS3.6 keywords and VRs).
declare module 'dcmjs' {
  const dcmjs: {
    data: {
      DicomMetaDictionary: { dictionary: Record<string, { name: string; vr: string } | undefined> };
    };
  };
  export default dcmjs;
}
