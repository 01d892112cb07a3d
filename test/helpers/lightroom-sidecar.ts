/** A Lightroom Classic sidecar as it writes them: attributes, a develop setting, edit history and a third-party namespace. */
export const lightroomXmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00        ">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:acme="http://example.com/acme/1.0/"
    xmp:Rating="4"
    crs:Exposure2012="+0.50"
    crs:ProcessVersion="11.0"
    xmpMM:DocumentID="xmp.did:1234"
    acme:Secret="keep me">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Eiffel at dusk</rdf:li></rdf:Alt></dc:title>
   <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|France|Paris</rdf:li></rdf:Bag></lr:hierarchicalSubject>
   <xmpMM:History><rdf:Seq><rdf:li><rdf:Description xmpMM:action="saved" xmpMM:instanceID="xmp.iid:1"/></rdf:li></rdf:Seq></xmpMM:History>
   <mwg-rs:Regions xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" rdf:parseType="Resource">
    <mwg-rs:RegionList><rdf:Bag><rdf:li rdf:parseType="Resource"><mwg-rs:Name>Ana</mwg-rs:Name><mwg-rs:Type>Face</mwg-rs:Type>
     <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.2" stArea:h="0.3" stArea:unit="normalized"/></rdf:li></rdf:Bag></mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;
