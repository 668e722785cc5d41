// dcmjs ships no type declarations. The parser uses only its data dictionary (PS3.6 keywords and VRs);
// other users (test-data writers) reach the rest of the API untyped.
declare module 'dcmjs' {
  const dcmjs: {
    data: {
      DicomMetaDictionary: { dictionary: Record<string, { name: string; vr: string } | undefined> } & Record<string, any>;
    } & Record<string, any>;
  } & Record<string, any>;
  export default dcmjs;
}
