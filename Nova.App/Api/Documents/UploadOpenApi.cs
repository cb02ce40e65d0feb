using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Nova.App.Api.Documents;

/// <summary>
/// Describes the upload's multipart body. The handler reads the request stream itself (so nothing is
/// buffered), which leaves the generator nothing to infer the form from.
/// </summary>
internal static class UploadOpenApi
{
    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"Files as '{MultipartUpload.FileField}' parts; '{MultipartUpload.CollectionField}' fields, if any, come first.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { MultipartUpload.FileField },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            [MultipartUpload.CollectionField] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                                Description = "Collections to file every document in (optional, repeatable).",
                            },
                            [MultipartUpload.FileField] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Array,
                                Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                                Description = "PDF, DOCX, HTML, Markdown or text; repeat the field for several files.",
                            },
                        },
                    },
                },
            },
        };
        return Task.CompletedTask;
    }
}
